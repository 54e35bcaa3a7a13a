using System.Globalization;
using P2PSync.WebRtcBench;

// Usage: P2PSync.WebRtcBench --side a|b --seed N   (run inside a network namespace by bench.mjs)
string? side = null;
int? seed = null;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--side":
            side = args[i + 1];
            break;
        case "--seed":
            seed = int.Parse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture);
            break;
    }
}

if (side is not ("a" or "b") || seed is null)
{
    Console.Error.WriteLine("usage: P2PSync.WebRtcBench --side a|b --seed N");
    return 2;
}

Console.Error.WriteLine($"webrtc bench driver, side {side}, seed {seed}");
var output = new EventWriter(Console.OpenStandardOutput());
await using var driver = new BenchDriver(output, TimeProvider.System, new Random(seed.Value));
await driver.RunAsync(Console.In);
return 0;
