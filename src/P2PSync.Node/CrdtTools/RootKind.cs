namespace P2PSync.Node.CrdtTools;

/// <summary>The shared type a root is read as.</summary>
internal enum RootKind
{
    /// <summary>A <c>YText</c>.</summary>
    Text,

    /// <summary>A <c>YArray</c>.</summary>
    Array,

    /// <summary>A <c>YMap</c>.</summary>
    Map,

    /// <summary>A <c>YXmlFragment</c>.</summary>
    Xml,
}
