using System.Text;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Positions;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

public partial class YText
{
    /// <summary>One run of <see cref="ToDelta(Snapshot?, Snapshot?, Func{string, ID, object?}?)"/>.</summary>
    private sealed class ToDeltaComputation
    {
        private const string YChangeKey = "ychange";

        private readonly YText text;
        private readonly Snapshot? snapshot;
        private readonly Snapshot? prevSnapshot;
        private readonly Func<string, ID, object?>? computeYChange;
        private readonly OrderedDictionary<string, object?> currentAttributes = new();
        private readonly StringBuilder str = new();

        public ToDeltaComputation(YText text, Snapshot? snapshot, Snapshot? prevSnapshot, Func<string, ID, object?>? computeYChange)
        {
            this.text = text;
            this.snapshot = snapshot;
            this.prevSnapshot = prevSnapshot;
            this.computeYChange = computeYChange;
        }

        public List<DeltaOp> Ops { get; } = new();

        public void Run()
        {
            for (var n = text.Start; n is not null; n = n.Right)
            {
                if (!Snapshot.IsVisible(n, snapshot) && (prevSnapshot is null || !Snapshot.IsVisible(n, prevSnapshot)))
                {
                    continue;
                }
                switch (n.Content)
                {
                    case ContentString s:
                        MarkChange(n);
                        str.Append(s.Str);
                        break;
                    case ContentType or ContentEmbed:
                        PackStr();
                        // A DeltaOp cannot hold a null insert; a null embed (only a hostile peer
                        // writes one) is left out.
                        if (n.Content.GetContent()[0] is { } embed)
                        {
                            Ops.Add(DeltaOp.InsertOp(embed, CurrentAttributesObject()));
                        }
                        break;
                    case ContentFormat format:
                        if (Snapshot.IsVisible(n, snapshot))
                        {
                            PackStr();
                            UpdateCurrentAttributes(currentAttributes, format);
                        }
                        break;
                }
            }
            PackStr();
        }

        /// <summary>Starts a new run when the item's added/removed status differs from the current run's.</summary>
        private void MarkChange(Item n)
        {
            bool hasCur = currentAttributes.TryGetValue(YChangeKey, out var cur);
            if (snapshot is not null && !Snapshot.IsVisible(n, snapshot))
            {
                if (!hasCur || !IsYChange(cur, n.Id.Client, "removed"))
                {
                    PackStr();
                    currentAttributes[YChangeKey] = ComputeYChange("removed", n.Id);
                }
            }
            else if (prevSnapshot is not null && !Snapshot.IsVisible(n, prevSnapshot))
            {
                if (!hasCur || !IsYChange(cur, n.Id.Client, "added"))
                {
                    PackStr();
                    currentAttributes[YChangeKey] = ComputeYChange("added", n.Id);
                }
            }
            else if (hasCur)
            {
                PackStr();
                currentAttributes.Remove(YChangeKey);
            }
        }

        private object? ComputeYChange(string type, ID id) =>
            computeYChange is not null ? computeYChange(type, id) : new Dictionary<string, object?> { ["type"] = type };

        /// <summary>
        /// Yjs compares <c>cur.user</c> with the item's client and <c>cur.type</c> with the kind; the
        /// default value has no user, so every item starts its own run unless a user is supplied.
        /// </summary>
        private static bool IsYChange(object? cur, ulong client, string type) =>
            cur is IReadOnlyDictionary<string, object?> d
            && d.TryGetValue("user", out var user) && JsString.NumberEqualsClient(user, client)
            && d.TryGetValue("type", out var t) && t is string ts && ts == type;

        private void PackStr()
        {
            if (str.Length > 0)
            {
                Ops.Add(DeltaOp.InsertOp(str.ToString(), CurrentAttributesObject()));
                str.Clear();
            }
        }

        private Dictionary<string, object?>? CurrentAttributesObject() =>
            currentAttributes.Count > 0 ? JsObjectOrder.ToObject(currentAttributes, currentAttributes.Count) : null;
    }
}
