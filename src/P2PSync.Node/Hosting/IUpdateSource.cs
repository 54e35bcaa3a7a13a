namespace P2PSync.Node.Hosting;

/// <summary>Something that feeds updates into <see cref="DocumentHub"/> and names itself in the update log.</summary>
internal interface IUpdateSource
{
    /// <summary>Short label stored as the update's origin, e.g. "peer:ABCD1234" or "ws".</summary>
    string OriginLabel { get; }
}
