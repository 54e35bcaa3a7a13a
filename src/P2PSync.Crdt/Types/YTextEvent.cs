using System.Text;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

/// <summary>The changes a transaction made to a <see cref="YText"/> (or <see cref="YXmlText"/>).</summary>
public sealed class YTextEvent : YEvent
{
    private IReadOnlyList<DeltaOp>? delta;

    internal YTextEvent(YText target, Transaction transaction, HashSet<string?> subs)
        : base(target, transaction)
    {
        var keys = new HashSet<string>();
        foreach (var sub in subs)
        {
            if (sub is null)
            {
                ChildListChanged = true;
            }
            else
            {
                keys.Add(sub);
            }
        }
        KeysChanged = keys;
    }

    /// <summary>Whether the text content changed (as opposed to only the type's own attributes).</summary>
    public bool ChildListChanged { get; }

    /// <summary>Names of the type attributes (<see cref="YText.SetAttribute"/>) the transaction touched.</summary>
    public IReadOnlySet<string> KeysChanged { get; }

    /// <summary>Text events carry no item sets; the delta says everything.</summary>
    public override YEventChanges Changes =>
        ChangesCache ??= new YEventChanges(new HashSet<Item>(), new HashSet<Item>(), Keys, Delta);

    /// <summary>
    /// The change as a rich-text delta: inserted text and embeds with the attributes in effect,
    /// retains that carry attribute changes, deletions.
    /// </summary>
    public override IReadOnlyList<DeltaOp> Delta => delta ??= ComputeDelta();

    private List<DeltaOp> ComputeDelta()
    {
        var result = new List<DeltaOp>();
        // Redundant format items found on the way are deleted, which needs a transaction.
        Transaction.Transact(Target.Doc!, transaction => new TextDeltaComputation(this, result).Run(transaction));
        return result;
    }

    /// <summary>The state of one delta computation (Yjs keeps it in closure variables).</summary>
    private sealed class TextDeltaComputation
    {
        private readonly YTextEvent ev;
        private readonly List<DeltaOp> delta;
        private readonly OrderedDictionary<string, object?> currentAttributes = new();
        private readonly Dictionary<string, object?> oldAttributes = new();

        // Attributes that a retain changes; keys are removed and re-added, so order is tracked.
        private readonly OrderedDictionary<string, object?> attributes = new();
        private readonly StringBuilder insertText = new();
        private object? insertEmbed;
        private bool hasEmbed;
        private Action action = Action.None;
        private int retain;
        private int deleteLen;

        public TextDeltaComputation(YTextEvent ev, List<DeltaOp> delta)
        {
            this.ev = ev;
            this.delta = delta;
        }

        private enum Action
        {
            None,
            Insert,
            Retain,
            Delete,
        }

        public void Run(Transaction transaction)
        {
            for (var item = ev.Target.Start; item is not null; item = item.Right)
            {
                switch (item.Content)
                {
                    case ContentType or ContentEmbed:
                        if (ev.Adds(item))
                        {
                            if (!ev.Deletes(item))
                            {
                                AddOp();
                                action = Action.Insert;
                                insertEmbed = item.Content.GetContent()[0];
                                hasEmbed = true;
                                AddOp();
                            }
                        }
                        else if (ev.Deletes(item))
                        {
                            Switch(Action.Delete);
                            deleteLen += 1;
                        }
                        else if (!item.Deleted)
                        {
                            Switch(Action.Retain);
                            retain += 1;
                        }
                        break;
                    case ContentString str:
                        if (ev.Adds(item))
                        {
                            if (!ev.Deletes(item))
                            {
                                Switch(Action.Insert);
                                insertText.Append(str.Str);
                            }
                        }
                        else if (ev.Deletes(item))
                        {
                            Switch(Action.Delete);
                            deleteLen += item.Length;
                        }
                        else if (!item.Deleted)
                        {
                            Switch(Action.Retain);
                            retain += item.Length;
                        }
                        break;
                    case ContentFormat format:
                        VisitFormat(transaction, item, format);
                        if (!item.Deleted)
                        {
                            if (action == Action.Insert)
                            {
                                AddOp();
                            }
                            YText.UpdateCurrentAttributes(currentAttributes, format);
                        }
                        break;
                }
            }
            AddOp();
            while (delta.Count > 0)
            {
                var lastOp = delta[^1];
                if (lastOp.Retain is not null && lastOp.Attributes is null)
                {
                    // A trailing retain without attributes says nothing.
                    delta.RemoveAt(delta.Count - 1);
                }
                else
                {
                    break;
                }
            }
        }

        private void VisitFormat(Transaction transaction, Item item, ContentFormat format)
        {
            string key = format.Key;
            object? value = format.Value;
            if (ev.Adds(item))
            {
                if (!ev.Deletes(item))
                {
                    object? curVal = YText.OrNull(currentAttributes.GetValueOrDefault(key));
                    if (!JsEquality.EqualAttrs(curVal, value))
                    {
                        if (action == Action.Retain)
                        {
                            AddOp();
                        }
                        if (JsEquality.EqualAttrs(value, YText.OrNull(oldAttributes.GetValueOrDefault(key))))
                        {
                            attributes.Remove(key);
                        }
                        else
                        {
                            attributes[key] = value;
                        }
                    }
                    else if (value is not null)
                    {
                        item.Delete(transaction);
                    }
                }
            }
            else if (ev.Deletes(item))
            {
                oldAttributes[key] = value;
                object? curVal = YText.OrNull(currentAttributes.GetValueOrDefault(key));
                if (!JsEquality.EqualAttrs(curVal, value))
                {
                    if (action == Action.Retain)
                    {
                        AddOp();
                    }
                    attributes[key] = curVal;
                }
            }
            else if (!item.Deleted)
            {
                oldAttributes[key] = value;
                if (attributes.TryGetValue(key, out var attr) && attr is not Encoding.Undefined)
                {
                    if (!JsEquality.EqualAttrs(attr, value))
                    {
                        if (action == Action.Retain)
                        {
                            AddOp();
                        }
                        if (value is null)
                        {
                            attributes.Remove(key);
                        }
                        else
                        {
                            attributes[key] = value;
                        }
                    }
                    else if (attr is not null)
                    {
                        // Same value again: redundant; the contextless cleanup would remove it anyway.
                        item.Delete(transaction);
                    }
                }
            }
        }

        private void Switch(Action next)
        {
            if (action != next)
            {
                AddOp();
                action = next;
            }
        }

        private void AddOp()
        {
            if (action == Action.None)
            {
                return;
            }
            DeltaOp? op = null;
            switch (action)
            {
                case Action.Delete:
                    if (deleteLen > 0)
                    {
                        op = DeltaOp.DeleteOp(deleteLen);
                    }
                    deleteLen = 0;
                    break;
                case Action.Insert:
                    if (hasEmbed || insertText.Length > 0)
                    {
                        object? insert = hasEmbed ? insertEmbed : insertText.ToString();
                        if (insert is not null)
                        {
                            op = DeltaOp.InsertOp(insert, currentAttributes.Count > 0 ? NonNullAttributes() : null);
                        }
                    }
                    insertText.Clear();
                    insertEmbed = null;
                    hasEmbed = false;
                    break;
                case Action.Retain:
                    if (retain > 0)
                    {
                        op = DeltaOp.RetainOp(retain, attributes.Count > 0 ? JsObjectOrder.ToObject(attributes, attributes.Count) : null);
                    }
                    retain = 0;
                    break;
            }
            if (op is not null)
            {
                delta.Add(op);
            }
            action = Action.None;
        }

        private Dictionary<string, object?> NonNullAttributes()
        {
            var pairs = new List<KeyValuePair<string, object?>>(currentAttributes.Count);
            foreach (var pair in currentAttributes)
            {
                if (pair.Value is not null)
                {
                    pairs.Add(pair);
                }
            }
            return JsObjectOrder.ToObject(pairs, pairs.Count);
        }
    }
}
