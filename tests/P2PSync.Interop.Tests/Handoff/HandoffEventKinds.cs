namespace P2PSync.Interop.Tests.Handoff;

/// <summary>The handoff event kinds of the contract (docs/dev/handoff-contract.md) that end a handoff.</summary>
internal static class HandoffEventKinds
{
    public const string Offered = "offered";
    public const string Requested = "requested";
    public const string Transferring = "transferring";
    public const string Progress = "progress";
    public const string Ready = "ready";
    public const string HandedOff = "handed-off";
    public const string Declined = "declined";
    public const string Expired = "expired";
    public const string Failed = "failed";

    public static bool IsEnd(string kind) => kind is Ready or HandedOff or Declined or Expired or Failed;
}
