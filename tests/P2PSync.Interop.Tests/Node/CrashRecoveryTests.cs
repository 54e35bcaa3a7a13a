namespace P2PSync.Interop.Tests.Node;

/// <summary>kill -9 while edits stream in through the API: every acknowledged edit survives.</summary>
[Collection("node processes")]
public sealed class CrashRecoveryTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(40)]
    public async Task KillNine_WhileEditsStream_KeepsEveryAcknowledgedEdit(int killAfterAcks)
    {
        await using var b = await NodeProcess.StartAsync("b");
        var aData = Path.Combine(Path.GetTempPath(), "p2psync-node-" + Guid.NewGuid().ToString("N"));
        try
        {
            var a = await NodeProcess.StartAsync("a", aData);
            var aPort = a.Port;
            await a.TrustAsync(b);
            await b.TrustAsync(a);
            var doc = await a.CreateDocAsync("crash");

            var acknowledged = new List<string>();
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var piece = $"<{i}>";
                    try
                    {
                        await a.AppendAsync(doc.Id, piece);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        return; // the node died mid-request: this edit was never acknowledged
                    }

                    lock (acknowledged)
                    {
                        acknowledged.Add(piece);
                    }
                }
            });

            while (true)
            {
                lock (acknowledged)
                {
                    if (acknowledged.Count >= killAfterAcks)
                    {
                        break;
                    }
                }

                await Task.Delay(5);
            }

            await a.KillAsync();
            await stop.CancelAsync();
            await writer;
            await a.DisposeAsync();

            await using var restarted = await NodeProcess.StartAsync("a", aData, aPort);
            var text = await restarted.TextAsync(doc.Id);
            Assert.NotNull(text);
            List<string> acked;
            lock (acknowledged)
            {
                acked = [.. acknowledged];
            }

            Assert.All(acked, piece => Assert.Contains(piece, text, StringComparison.Ordinal));
            await NodeSyncProcessTests.ConvergedAsync(doc.Id, acked, restarted, b);
        }
        finally
        {
            Directory.Delete(aData, recursive: true);
        }
    }
}
