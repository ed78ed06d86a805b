package dev.byok.ingest;

/** What ingest counts; {@link IngestChannel} binds it to Micrometer. */
interface IngestMetrics {
    IngestMetrics NONE = new IngestMetrics() {
        @Override
        public void stored(int events) {}

        @Override
        public void rejected(String rules) {}
    };

    /** Valid events sealed and written (redeliveries included). */
    void stored(int events);

    /** One record sent to the DLQ, with its violated rule codes ({@code json}, {@code required,format}, ...). */
    void rejected(String rules);
}
