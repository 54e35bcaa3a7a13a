using P2PSync.Crdt.Core;

namespace P2PSync.Node.Storage;

/// <summary>A document rebuilt from the store, with the log position it reflects.</summary>
/// <param name="Doc">A fresh Doc (random client id) holding snapshot + log.</param>
/// <param name="HeadSeq">The newest update applied; later appends have larger seqs.</param>
internal sealed record LoadedDocument(Doc Doc, long HeadSeq);
