namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>What the agent dropped or refused and why; hostile-input tests assert on these.</summary>
internal sealed class IceAgentCounters
{
    public int RequestsAnswered { get; set; }

    public int ErrorsSent { get; set; }

    public int ChecksSent { get; set; }

    public int Retransmissions { get; set; }

    public int MalformedStun { get; set; }

    public int MissingFingerprint { get; set; }

    public int BadIntegrity { get; set; }

    public int WrongUsername { get; set; }

    public int UnknownTransaction { get; set; }

    public int AsymmetricResponses { get; set; }

    public int RoleConflicts { get; set; }

    public int UnverifiedApplicationData { get; set; }

    public int OtherProtocol { get; set; }

    public int IgnoredIndications { get; set; }

    public int PeerReflexiveLearned { get; set; }

    public int RemoteCandidatesIgnored { get; set; }
}
