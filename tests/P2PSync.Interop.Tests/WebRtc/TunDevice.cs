using System.Runtime.InteropServices;
using P2PSync.Interop.Tests.Mdns;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// A Linux TUN device (layer 3, no packet-info header) created inside a network namespace: the
/// kernel hands this process every IP packet routed out of it, and takes packets written to it as
/// if they had arrived on it. The device lives in the namespace the opening thread was in, so it is
/// opened with <see cref="NetnsSockets.RunInside"/>; it disappears when the descriptor is closed.
/// Reads wait with poll(2) and a timeout, so the thread that reads can notice it should stop.
/// </summary>
internal sealed class TunDevice : IDisposable
{
    // From <linux/if_tun.h> and <linux/if.h>.
    private const uint TunSetInterface = 0x400454ca; // TUNSETIFF = _IOW('T', 202, int)
    private const short TunFlag = 0x0001;            // IFF_TUN: IP packets, not Ethernet frames
    private const short NoPacketInfo = 0x1000;       // IFF_NO_PI: no 4-byte header before each packet
    private const int ReadWrite = 0x2;
    private const int CloseOnExec = 0x80000;         // the drivers this test starts must not inherit it
    private const short PollIn = 0x1;
    private const int InterruptedErrno = 4;
    private const int InterfaceRequestSize = 40;     // struct ifreq on 64-bit Linux
    private const int InterfaceNameSize = 16;        // IFNAMSIZ, including the terminating NUL

    private readonly int _fd;
    private int _closed;

    private TunDevice(int fd, string name)
    {
        _fd = fd;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Creates TUN device <paramref name="name"/> inside namespace <paramref name="ns"/>.</summary>
    public static TunDevice Create(string ns, string name)
    {
        if (name.Length >= InterfaceNameSize || !name.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("an interface name is 1 to 15 ASCII letters or digits", nameof(name));
        }

        return NetnsSockets.RunInside(ns, () => Open(name));
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> for a packet and copies it into <paramref name="buffer"/>;
    /// returns its length, or 0 when none came in time.
    /// </summary>
    public int Read(byte[] buffer, int timeoutMs)
    {
        var poll = new[] { new PollDescriptor { Fd = _fd, Events = PollIn } };
        var ready = Poll(poll, 1, timeoutMs);
        if (ready == 0 || (ready < 0 && Marshal.GetLastPInvokeError() == InterruptedErrno))
        {
            return 0;
        }

        if (ready < 0)
        {
            throw new ExternalCommandException($"poll on {Name} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var length = ReadFd(_fd, buffer, buffer.Length);
        return length >= 0 ? (int)length : throw new ExternalCommandException($"read from {Name} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Hands one IP packet to the kernel as received on this device (a refused packet is simply lost, as on a wire).</summary>
    public bool Write(byte[] packet, int length) => WriteFd(_fd, packet, length) == length;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            CloseFd(_fd);
        }
    }

    private static TunDevice Open(string name)
    {
        var fd = OpenFd("/dev/net/tun", ReadWrite | CloseOnExec);
        if (fd < 0)
        {
            throw new ExternalCommandException($"open /dev/net/tun failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var request = new byte[InterfaceRequestSize];
        System.Text.Encoding.ASCII.GetBytes(name).CopyTo(request, 0);
        BitConverter.TryWriteBytes(request.AsSpan(InterfaceNameSize), (short)(TunFlag | NoPacketInfo));
        if (Ioctl(fd, TunSetInterface, request) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            CloseFd(fd);
            throw new ExternalCommandException($"TUNSETIFF {name} failed: errno {errno}");
        }

        return new TunDevice(fd, name);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenFd([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern int Ioctl(int fd, nuint request, byte[] argument);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int Poll([In, Out] PollDescriptor[] fds, nuint count, int timeoutMs);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint ReadFd(int fd, byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint WriteFd(int fd, byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int CloseFd(int fd);
}
