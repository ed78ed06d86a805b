package dev.byok.kms.azure;

import dev.byok.kms.KmsContract;
import dev.byok.kms.KmsFixture;

/** The KMS contract, run against the Azure implementation talking HTTPS to the Key Vault emulator. */
class AzureKmsContractIT extends KmsContract {
    @Override
    protected KmsFixture newFixture() {
        return new EmulatorKmsFixture();
    }
}
