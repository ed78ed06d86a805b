package dev.byok.kms;

class InMemoryKmsContractTest extends KmsContract {
    @Override
    protected KmsFixture newFixture() {
        return new InMemoryKms();
    }
}
