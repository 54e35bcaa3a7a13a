using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;

namespace P2PSync.Node.CrdtTools;

/// <summary>
/// Replays a sequential editing trace into a document's root text <c>"text"</c>, one CRDT
/// transaction per trace transaction, exactly as an editor binding would produce it.
/// </summary>
internal static class TraceReplayer
{
    /// <summary>The name of the root text the trace is replayed into.</summary>
    public const string RootName = "text";

    /// <summary>
    /// Applies every transaction of <paramref name="trace"/> to <paramref name="doc"/>.
    /// The trace must have passed <see cref="EditTraceReader"/>'s validation, which guarantees
    /// every position is inside the text.
    /// </summary>
    public static YText Replay(EditTrace trace, Doc doc)
    {
        var text = doc.GetText(RootName);
        var applier = new PatchApplier(text);
        if (trace.StartContent.Length > 0)
        {
            applier.Current = [new TracePatch(0, 0, trace.StartContent)];
            doc.Transact(applier.Apply);
        }

        foreach (var transaction in trace.Transactions)
        {
            applier.Current = transaction;
            doc.Transact(applier.Apply);
        }

        return text;
    }

    /// <summary>
    /// Holds the patches of the transaction being applied, so one cached delegate serves every
    /// transaction instead of a fresh closure per keystroke (the bench times this loop).
    /// </summary>
    private sealed class PatchApplier
    {
        private readonly YText _text;
        private readonly CodePointMap _positions = new();

        public PatchApplier(YText text)
        {
            _text = text;
            Apply = ApplyCurrent;
        }

        public TracePatch[] Current { get; set; } = [];

        public Action<Transaction> Apply { get; }

        private void ApplyCurrent(Transaction transaction)
        {
            foreach (var patch in Current)
            {
                var index = _positions.ToUtf16(patch.Position);
                if (patch.DeleteCount > 0)
                {
                    _text.Delete(index, _positions.Utf16Length(patch.Position, patch.DeleteCount));
                    _positions.Delete(patch.Position, patch.DeleteCount);
                }

                if (patch.Insert.Length > 0)
                {
                    _text.Insert(index, patch.Insert);
                    _positions.Insert(patch.Position, patch.Insert);
                }
            }
        }
    }
}
