using System.Text;
using System.Text.Json;
using P2PSync.Node.Handoff;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Handoff;

public sealed class ActivityJsonTests
{
    private static readonly string Device = DeviceId.FromPublicKey(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()).ToString();

    private static Activity Sample() => new(
        7,
        1_763_791_200_000,
        [
            new ActivityDocument("notes", [1, 2, 3], [4, 5], JsonDocument.Parse("{\"scroll\":120,\"panel\":\"outline\"}").RootElement.Clone()),
            new ActivityDocument("plan", null, null, null),
        ],
        JsonDocument.Parse("{\"app\":\"editor\",\"tabs\":[\"a\",\"b\"],\"é\":\"ü 中\"}").RootElement.Clone(),
        Device,
        null);

    [Fact]
    public void Round_trips_every_field()
    {
        var activity = Sample();
        var parsed = ActivityJson.Parse(ActivityJson.Serialize(activity));

        Assert.Equal(activity.Version, parsed.Version);
        Assert.Equal(activity.UpdatedMs, parsed.UpdatedMs);
        Assert.Equal(activity.Documents.Select(d => d.DocId), parsed.Documents.Select(d => d.DocId));
        Assert.Equal(new byte[] { 1, 2, 3 }, parsed.Documents[0].Cursor);
        Assert.Equal(new byte[] { 4, 5 }, parsed.Documents[0].Anchor);
        Assert.Null(parsed.Documents[1].Cursor);
        Assert.Null(parsed.Documents[1].View);
        Assert.Equal("outline", parsed.Documents[0].View!.Value.GetProperty("panel").GetString());
        Assert.Equal("ü 中", parsed.State!.Value.GetProperty("é").GetString());
        Assert.Equal(Device, parsed.HandedOffTo);
        Assert.Null(parsed.ResumedFrom);
        Assert.Equal(ActivityJson.Serialize(activity), ActivityJson.Serialize(parsed));
    }

    [Fact]
    public void Writes_the_documented_camel_case_shape()
    {
        var json = Encoding.UTF8.GetString(ActivityJson.Serialize(Sample() with { State = null, HandedOffTo = null }));
        Assert.Equal(
            "{\"version\":7,\"updatedMs\":1763791200000,\"documents\":[{\"id\":\"notes\",\"cursor\":\"AQID\",\"anchor\":\"BAU=\",\"view\":{\"scroll\":120,\"panel\":\"outline\"}},"
            + "{\"id\":\"plan\",\"cursor\":null,\"anchor\":null,\"view\":null}],\"state\":null,\"handedOffTo\":null,\"resumedFrom\":null}",
            json);
    }

    [Fact]
    public void Unknown_properties_are_ignored_for_newer_peers()
    {
        var parsed = ActivityJson.Parse("{\"version\":1,\"updatedMs\":2,\"documents\":[{\"id\":\"d\",\"extra\":true}],\"future\":{\"x\":1}}"u8);
        Assert.Equal("d", Assert.Single(parsed.Documents).DocId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"version\":1,\"updatedMs\":2}")]
    [InlineData("{\"version\":-1,\"updatedMs\":2,\"documents\":[]}")]
    [InlineData("{\"version\":1.5,\"updatedMs\":2,\"documents\":[]}")]
    [InlineData("{\"version\":\"1\",\"updatedMs\":2,\"documents\":[]}")]
    [InlineData("{\"version\":1,\"version\":2,\"updatedMs\":2,\"documents\":[]}")]
    [InlineData("{\"version\":1,\"updatedMs\":2,\"documents\":{}}")]
    [InlineData("{\"version\":1,\"updatedMs\":2,\"documents\":[1]}")]
    [InlineData("{\"version\":1,\"updatedMs\":2,\"documents\":[{}]}")]
    [InlineData("{\"version\":1,\"updatedMs\":2,\"documents\":[{\"id\":\"a/b\"}]}")]
    [InlineData("{\"version\":1,\"updatedMs\":2,\"documents\":[{\"id\":\"d\"},{\"id\":\"d\"}]}")]
    [InlineData("{\"version\":1,\"updatedMs\":2,\"documents\":[{\"id\":\"d\",\"cursor\":\"not base64!\"}]}")]
    [InlineData("{\"version\":1,\"updatedMs\":2,\"documents\":[{\"id\":\"d\",\"cursor\":\"\"}]}")]
    [InlineData("{\"version\":1,\"updatedMs\":2,\"documents\":[{\"id\":\"d\",\"cursor\":5}]}")]
    [InlineData("{\"version\":1,\"updatedMs\":2,\"documents\":[],\"handedOffTo\":\"nobody\"}")]
    [InlineData("{\"version\":1,\"updatedMs\":2,\"documents\":[]} {}")]
    [InlineData("{\"version\":1,\"updatedMs\":2,\"documents\":[],}")]
    [InlineData("{\"version\":1,/*c*/\"updatedMs\":2,\"documents\":[]}")]
    public void Malformed_activities_are_ActivityFormatExceptions(string json)
    {
        Assert.Throws<ActivityFormatException>(() => ActivityJson.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Invalid_utf8_is_an_ActivityFormatException()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"version\":1,\"updatedMs\":2,\"documents\":[],\"state\":\"xx\"}");
        bytes[^4] = 0xC3;
        Assert.Throws<ActivityFormatException>(() => ActivityJson.Parse(bytes));
    }

    [Fact]
    public void State_over_1_MiB_is_too_large_and_exactly_1_MiB_is_fine()
    {
        // A JSON string of n characters serializes to n + 2 bytes (the quotes).
        var fits = JsonSerializer.SerializeToElement(new string('s', ActivityLimits.MaxStateBytes - 2));
        var activity = new Activity(1, 2, [], fits, null, null);
        Assert.Equal(ActivityLimits.MaxStateBytes, ActivityJson.JsonSize(fits));
        var parsed = ActivityJson.Parse(ActivityJson.Serialize(activity));
        Assert.Equal(ActivityLimits.MaxStateBytes - 2, parsed.State!.Value.GetString()!.Length);

        var over = activity with { State = JsonSerializer.SerializeToElement(new string('s', ActivityLimits.MaxStateBytes - 1)) };
        var ex = Assert.Throws<ActivityFormatException>(() => ActivityJson.Serialize(over));
        Assert.True(ex.IsTooLarge);
        Assert.Contains("the state", ex.Message);
    }

    [Fact]
    public void Too_many_documents_deep_nesting_and_big_views_are_refused()
    {
        var many = Enumerable.Range(0, ActivityLimits.MaxDocuments + 1).Select(i => new ActivityDocument($"d{i}", null, null, null)).ToArray();
        Assert.True(Assert.Throws<ActivityFormatException>(() => ActivityJson.Serialize(new Activity(1, 2, many, null, null, null))).IsTooLarge);
        ActivityJson.Serialize(new Activity(1, 2, many[..ActivityLimits.MaxDocuments], null, null, null));

        var deep = JsonDocument.Parse(new string('[', 65) + new string(']', 65), new JsonDocumentOptions { MaxDepth = 100 }).RootElement.Clone();
        Assert.Throws<ActivityFormatException>(() => ActivityJson.Serialize(new Activity(1, 2, [], deep, null, null)));
        var deepJson = "{\"version\":1,\"updatedMs\":2,\"documents\":[],\"state\":" + new string('[', 500) + new string(']', 500) + "}";
        Assert.Throws<ActivityFormatException>(() => ActivityJson.Parse(Encoding.UTF8.GetBytes(deepJson)));

        var view = JsonSerializer.SerializeToElement(new string('v', ActivityLimits.MaxViewBytes));
        Assert.True(Assert.Throws<ActivityFormatException>(() => ActivityJson.Serialize(new Activity(1, 2, [new ActivityDocument("d", null, null, view)], null, null, null))).IsTooLarge);
        Assert.Throws<ActivityFormatException>(() => ActivityJson.Serialize(new Activity(1, 2, [new ActivityDocument("d", new byte[ActivityLimits.MaxPositionBytes + 1], null, null)], null, null, null)));
        Assert.Throws<ActivityFormatException>(() => ActivityJson.Parse(new byte[ActivityLimits.MaxJsonBytes + 1]));
    }

    [Fact]
    public void Seeded_mutations_parse_or_raise_only_ActivityFormatException()
    {
        const int seed = 777;
        var random = new Random(seed);
        var sample = ActivityJson.Serialize(Sample());
        var (parsed, rejected) = (0, 0);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = sample.ToList();
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                switch (random.Next(4))
                {
                    case 0:
                        bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                        break;
                    case 1:
                        bytes[random.Next(bytes.Count)] = (byte)"{}[]\",:0-.e\\"[random.Next(12)];
                        break;
                    case 2:
                        bytes.RemoveAt(random.Next(bytes.Count));
                        break;
                    default:
                        bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                        break;
                }
            }

            try
            {
                var activity = ActivityJson.Parse(bytes.ToArray());
                // Whatever parses must serialize and parse again (it met every rule).
                ActivityJson.Parse(ActivityJson.Serialize(activity));
                parsed++;
            }
            catch (ActivityFormatException)
            {
                rejected++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed} iteration {i} ({Convert.ToBase64String(bytes.ToArray())}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.True(parsed > 100 && rejected > 5000, $"seed {seed}: {parsed} parsed, {rejected} rejected");
    }
}
