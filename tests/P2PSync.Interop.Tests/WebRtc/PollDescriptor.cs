using System.Runtime.InteropServices;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>struct pollfd of poll(2), for <see cref="TunDevice"/>'s waits.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollDescriptor
{
    public int Fd;
    public short Events;
    public short Revents;
}
