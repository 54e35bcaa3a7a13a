using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Types;

/// <summary>
/// A map-valued XML node that an editor binding renders itself (Yjs Y.XmlHook); the hook name
/// tells the binding which renderer to use.
/// </summary>
public sealed class YXmlHook : YMap
{
    public YXmlHook(string hookName)
    {
        ArgumentNullException.ThrowIfNull(hookName);
        HookName = hookName;
    }

    public string HookName { get; }

    internal override AbstractType Copy() => new YXmlHook(HookName);

    /// <summary>
    /// A copy with the same entries. Nested shared types are cloned too (Yjs reuses the instances,
    /// which a type cannot survive: it can only live in one place).
    /// </summary>
    public override AbstractType Clone()
    {
        var el = new YXmlHook(HookName);
        foreach (var (key, value) in Entries())
        {
            el.Set(key, value is AbstractType type ? type.Clone() : value);
        }
        return el;
    }

    internal override void Write(IUpdateEncoder encoder)
    {
        encoder.WriteTypeRef(TypeRefs.YXmlHook);
        encoder.WriteKey(HookName);
    }
}
