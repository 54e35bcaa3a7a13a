namespace P2PSync.Crdt.Encoding;

/// <summary>
/// The JavaScript value <c>undefined</c>. Yjs content can carry it (lib0 any tag 127) and it
/// behaves differently from <c>null</c> in JSON output, so it needs its own C# value.
/// </summary>
public sealed class Undefined
{
    /// <summary>The only instance.</summary>
    public static Undefined Value { get; } = new();

    private Undefined() { }

    /// <inheritdoc />
    public override string ToString() => "undefined";
}
