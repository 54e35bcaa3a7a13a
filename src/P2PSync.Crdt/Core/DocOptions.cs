using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Core;

/// <summary>Options for a new <see cref="Doc"/> (Yjs DocOpts).</summary>
public sealed class DocOptions
{
    /// <summary>The client id used for local changes; a random 32-bit value when null.</summary>
    public ulong? ClientId { get; init; }

    /// <summary>Globally unique id of the document; a random UUID v4 when null.</summary>
    public string? Guid { get; init; }

    /// <summary>Associates the doc with a collection (meaningful to providers only).</summary>
    public string? CollectionId { get; init; }

    /// <summary>Whether deleted content is garbage collected (default true).</summary>
    public bool Gc { get; init; } = true;

    /// <summary>Called before an item is garbage collected; return false to keep it.</summary>
    internal Func<Item, bool>? GcFilter { get; init; }

    /// <summary>Any meta information; for subdocuments it is stored for remote peers too.</summary>
    public object? Meta { get; init; }

    /// <summary>For subdocuments: load automatically (also on remote peers).</summary>
    public bool AutoLoad { get; init; }

    /// <summary>Whether a provider should sync this doc now (default true).</summary>
    public bool ShouldLoad { get; init; } = true;
}
