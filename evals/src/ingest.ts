/** The knowledge base's retrieval and classification modules, as the evals use them. */
export * from '@naparnik/ingest/classify';
export * from '@naparnik/ingest/retrieval';
