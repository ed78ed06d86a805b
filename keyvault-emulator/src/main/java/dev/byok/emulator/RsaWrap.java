package dev.byok.emulator;

import java.security.GeneralSecurityException;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/** wrapkey / unwrapkey as Key Vault does them: RSA-OAEP-256 (SHA-256, MGF1-SHA-256) or RSA-OAEP (SHA-1). */
final class RsaWrap {
    private RsaWrap() {}

    static byte[] apply(boolean wrap, String alg, KeyVersion v, byte[] input) {
        OAEPParameterSpec spec;
        if ("RSA-OAEP-256".equals(alg)) {
            spec = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
        } else if ("RSA-OAEP".equals(alg)) {
            spec = new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);
        } else {
            throw KeyVaultError.badParameter(
                    "Invalid algorithm: " + alg + " (the emulator supports RSA-OAEP-256 and RSA-OAEP)");
        }
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(
                    wrap ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
                    wrap ? v.pair.getPublic() : v.pair.getPrivate(),
                    spec);
            return cipher.doFinal(input);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            throw KeyVaultError.badParameter("The parameter value is invalid for the operation.");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
