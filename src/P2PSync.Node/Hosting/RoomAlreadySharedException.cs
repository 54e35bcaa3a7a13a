namespace P2PSync.Node.Hosting;

/// <summary>
/// The room is already joined for another document, or for this one with another password: one
/// node is one peer per room (as y-webrtc allows one document per room name), so this is refused.
/// </summary>
internal sealed class RoomAlreadySharedException : InvalidOperationException
{
    public RoomAlreadySharedException(string message)
        : base(message)
    {
    }
}
