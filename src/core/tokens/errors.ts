/** The worker (or in-process engine) does not hold this document, e.g. after a restart: reopen it. */
export class UnknownDocumentError extends Error {
  constructor(doc: string) {
    super(`unknown document ${doc}`);
    this.name = 'UnknownDocumentError';
  }
}
