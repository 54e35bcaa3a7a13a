namespace P2PSync.Node.Hosting;

/// <summary>A y-webrtc room name the relay could not carry as a topic (empty, too long, control characters, invalid Unicode).</summary>
internal sealed class BadRoomNameException : ArgumentException
{
    public BadRoomNameException(string problem)
        : base($"bad room name: {problem}")
    {
    }
}
