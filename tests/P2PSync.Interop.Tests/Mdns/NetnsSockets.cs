using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// Opens TCP sockets inside another network namespace from this (host-namespace) test process, so
/// a test can call the local API of a node that listens on 127.0.0.1 *of its namespace*. A socket
/// belongs to the namespace it was created in for life; only creation happens on a short-lived
/// thread that setns(2)es into the namespace and back, so no pool thread ever changes namespace.
/// </summary>
internal static class NetnsSockets
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>An HttpClient for <paramref name="baseAddress"/> whose connections are made inside namespace <paramref name="ns"/>.</summary>
    public static HttpClient CreateHttpClient(string ns, Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = CreateTcpSocket(ns, context.DnsEndPoint.Host.Contains(':', StringComparison.Ordinal) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
                try
                {
                    await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static Socket CreateTcpSocket(string ns, AddressFamily family) =>
        CreateSocket(ns, family, SocketType.Stream, ProtocolType.Tcp);

    /// <summary>A UDP socket that lives in namespace <paramref name="ns"/> (the WebRTC harness listens for Chromium's STUN checks with it).</summary>
    public static Socket CreateUdpSocket(string ns, AddressFamily family) =>
        CreateSocket(ns, family, SocketType.Dgram, ProtocolType.Udp);

    private static Socket CreateSocket(string ns, AddressFamily family, SocketType type, ProtocolType protocol) =>
        RunInside(ns, () => new Socket(family, type, protocol));

    /// <summary>
    /// Runs <paramref name="create"/> on a short-lived thread inside namespace <paramref name="ns"/>
    /// and returns its result: every socket it opens stays in that namespace (the WebRTC tests start
    /// our IceTransport this way, which binds its sockets in its Start).
    /// </summary>
    public static T RunInside<T>(string ns, Func<T> create)
        where T : class
    {
        T? result = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var home = File.OpenHandle("/proc/thread-self/ns/net", FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var target = File.OpenHandle(Path.Combine("/run/netns", ns), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                Enter(target.DangerousGetHandle(), ns);
                try
                {
                    result = create();
                }
                finally
                {
                    Enter(home.DangerousGetHandle(), "the test's own namespace");
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return result ?? throw new ExternalCommandException($"could not run inside {ns}", failure!);
    }

    private static void Enter(IntPtr fd, string what)
    {
        if (SetNs((int)fd, CloneNewNet) != 0)
        {
            throw new ExternalCommandException($"setns into {what} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);
}
