using System.Diagnostics;
using System.Globalization;
using System.Text;
using P2PSync.Node.Security.Spaces;
using P2PSync.SpacesCryptoBench;

// Seal+sign and open+verify of one update of 30 B, 1 KiB and 1 MiB: ours against bare libsodium
// on the same bytes, interleaved round by round. Usage: [--rounds N] [--out FILE.md]
var rounds = 101;
string? outPath = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var r) && r > 0:
            rounds = r;
            i++;
            break;
        case "--out" when i + 1 < args.Length:
            outPath = args[++i];
            break;
        default:
            Console.Error.WriteLine("usage: [--rounds N (default 101)] [--out FILE.md]");
            return 2;
    }
}

// Seeded: the same bytes every run (content does not change the cost, but reruns stay comparable).
var random = new Random(20261122);
var seed = new byte[32];
var key = new byte[32];
random.NextBytes(seed);
random.NextBytes(key);
var space = SpaceId.FromBytes(seed.AsSpan(0, 16));

var sizes = new (string Label, int Bytes, int Ops)[] { ("30 B", 30, 200), ("1 KiB", 1024, 200), ("1 MiB", 1024 * 1024, 4) };
var results = new List<SizeResult>();
foreach (var (label, bytes, ops) in sizes)
{
    var payload = new byte[bytes];
    random.NextBytes(payload);
    var floor = new CryptoFloor(payload, seed, key);
    using var ours = new OurCryptoPath(payload, seed, key, space);
    floor.Seal();
    floor.Open();
    ours.Seal();
    ours.Open();

    var floorSeal = new List<double>();
    var ourSeal = new List<double>();
    var floorOpen = new List<double>();
    var ourOpen = new List<double>();
    // Round 0 warms up (JIT tiers, pools, page faults) and is not kept.
    for (var round = 0; round <= rounds; round++)
    {
        // Who goes first alternates, so a load spike or a GC owed by the other side does not always land on one.
        double fs, os, fo, oo;
        if (round % 2 == 0)
        {
            fs = Time(floor.Seal, ops);
            os = Time(ours.Seal, ops);
            fo = Time(floor.Open, ops);
            oo = Time(ours.Open, ops);
        }
        else
        {
            os = Time(ours.Seal, ops);
            fs = Time(floor.Seal, ops);
            oo = Time(ours.Open, ops);
            fo = Time(floor.Open, ops);
        }

        if (round > 0)
        {
            floorSeal.Add(fs);
            ourSeal.Add(os);
            floorOpen.Add(fo);
            ourOpen.Add(oo);
        }
    }

    results.Add(new SizeResult(label, bytes, ops, floorSeal, ourSeal, floorOpen, ourOpen));
    Console.Error.WriteLine($"== {label} done");
}

var report = Report(results, rounds);
Console.Write(report);
if (outPath is not null)
{
    File.WriteAllText(outPath, report);
    Console.Error.WriteLine($"wrote {outPath}");
}

return 0;

// Microseconds per operation over one batch.
static double Time(Action operation, int ops)
{
    var start = Stopwatch.GetTimestamp();
    for (var i = 0; i < ops; i++)
    {
        operation();
    }

    return Stopwatch.GetElapsedTime(start).TotalMicroseconds / ops;
}

static string Report(IReadOnlyList<SizeResult> results, int rounds)
{
    var c = CultureInfo.InvariantCulture;
    var text = new StringBuilder();
    text.AppendLine(c, $"Environment: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, 1-minute load average {LoadAverage()} when the run ended.");
    text.AppendLine(c, $"{rounds} rounds per size; in each round floor and ours run back to back on the same bytes. Times are medians of per-round microseconds per operation; the ratio is the median of per-round ratios (p10..p90 in brackets).");
    text.AppendLine("Floor = randombytes nonce + crypto_sign_detached(payload) + crypto_aead_xchacha20poly1305_ietf_encrypt(payload || signature) into preallocated buffers, and decrypt + crypto_sign_verify_detached. Ours = SignedRecord.Create + SpaceSealer.Seal, and SpaceSealer.Open + SignedRecordCodec.DecodeOwned + HasValidSignature, allocating what the node allocates (record, envelope, opened plaintext).");
    text.AppendLine();
    text.AppendLine("| payload | direction | floor (libsodium) | ours | ours/floor | goal |");
    text.AppendLine("|---|---|---|---|---|---|");
    foreach (var r in results)
    {
        Row(text, r, "seal + sign", r.FloorSealUs, r.OurSealUs);
        Row(text, r, "open + verify", r.FloorOpenUs, r.OurOpenUs);
    }

    return text.ToString();

    static void Row(StringBuilder text, SizeResult r, string direction, IReadOnlyList<double> floor, IReadOnlyList<double> ours)
    {
        var c = CultureInfo.InvariantCulture;
        var ratios = Stats.Ratios(ours, floor);
        var ratio = Stats.Median(ratios);
        var goal = r.PayloadBytes >= 1024 ? (ratio <= 1.2 ? "<= 1.2x: met" : "<= 1.2x: NOT met") : "(none)";
        text.AppendLine(c, $"| {r.Label} | {direction} | {Stats.Median(floor):F1} us | {Stats.Median(ours):F1} us | {ratio:F2}x [{Stats.Percentile(ratios, 10):F2}..{Stats.Percentile(ratios, 90):F2}] | {goal} |");
    }
}

static string LoadAverage()
{
    try
    {
        return File.ReadAllText("/proc/loadavg").Split(' ')[0];
    }
    catch (IOException)
    {
        return "unknown";
    }
}
