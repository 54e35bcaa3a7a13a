using System.Runtime.InteropServices;

namespace P2PSync.Node.Tests.Discovery;

/// <summary>
/// Runs a function on a fresh thread that has joined a network namespace (setns(2) is per thread
/// on Linux). A socket belongs to the namespace it was created in for its whole life, so sockets
/// made here may then be used from any thread while the test process stays in the host namespace.
/// </summary>
internal static partial class NetnsThread
{
    private const int CloneNewNet = 0x40000000;

    public static T Run<T>(string namespaceName, Func<T> create)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/run/netns/{namespaceName}");
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns into {namespaceName} failed: errno {Marshal.GetLastPInvokeError()}");
                }

                result = create();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException($"creating inside {namespaceName} failed: {failure.Message}", failure);
        }

        return result!;
    }

    // The thread ends right after, so it never needs to switch back.
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which the test project does not allow.
    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);
#pragma warning restore SYSLIB1054
}
