namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// One collection, so WebRTC interop tests run one after another: each starts browsers or node
/// processes, and two cores shared with the rest of the suite are enough for one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WebRtcCollection
{
    public const string Name = "WebRTC interop";
}
