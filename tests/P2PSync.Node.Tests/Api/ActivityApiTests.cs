using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using P2PSync.Node.Api;

namespace P2PSync.Node.Tests.Api;

/// <summary>GET/PUT /api/activity: index/relative position conversion, limits, and bad input.</summary>
public sealed class ActivityApiTests
{
    [Fact]
    public async Task FreshNode_HasAnEmptyActivity()
    {
        await using var node = await TestNode.StartAsync();

        var activity = (await node.Http.GetFromJsonAsync<ActivityView>("api/activity"))!;

        Assert.Equal(0, activity.Version);
        Assert.Empty(activity.Documents);
        Assert.Null(activity.State);
        Assert.Null(activity.HandedOffTo);
    }

    [Fact]
    public async Task Put_IndexesBecomeRelativePositions_ThatFollowLaterEdits()
    {
        await using var node = await TestNode.StartAsync();
        var doc = await CreateAsync(node, "hello world");
        using var state = JsonDocument.Parse("""{"scroll":12,"panel":"left"}""");

        var put = await node.Http.PutAsJsonAsync("api/activity", new ActivityRequest(
            [new ActivityDocumentRequest(doc, 6, 11, null, null, JsonDocument.Parse("""{"zoom":2}""").RootElement)],
            state.RootElement));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var set = (await put.Content.ReadFromJsonAsync<ActivityView>())!;
        var entry = Assert.Single(set.Documents);
        Assert.Equal((6, 11), (entry.Cursor, entry.Anchor));
        Assert.NotNull(entry.CursorRelative);
        Assert.Equal(1, set.Version);
        Assert.Equal(12, set.State!.Value.GetProperty("scroll").GetInt32());
        Assert.Equal(2, entry.View!.Value.GetProperty("zoom").GetInt32());

        // Someone types before the cursor: the cursor moves along with "world".
        node.Host.Documents.Edit(doc, d => d.GetText("text").Insert(0, ">> "), "test");
        var later = (await node.Http.GetFromJsonAsync<ActivityView>("api/activity"))!;
        Assert.Equal((9, 14), (later.Documents[0].Cursor, later.Documents[0].Anchor));
        Assert.Equal(1, later.Version);

        // The relative form round-trips through PUT as well.
        var again = await node.Http.PutAsJsonAsync("api/activity", new ActivityRequest(
            [new ActivityDocumentRequest(doc, null, null, entry.CursorRelative, null, null)], null));
        Assert.Equal(9, (await again.Content.ReadFromJsonAsync<ActivityView>())!.Documents[0].Cursor);
    }

    [Fact]
    public async Task BadInput_GetsTheRightStatus_AndChangesNothing()
    {
        await using var node = await TestNode.StartAsync();
        var doc = await CreateAsync(node, "abc");
        (await node.Http.PutAsJsonAsync("api/activity", new ActivityRequest([new ActivityDocumentRequest(doc, 1, null, null, null, null)], null))).EnsureSuccessStatusCode();
        var tooManyDocs = string.Join(',', Enumerable.Range(0, 65).Select(i => $$"""{"id":"d{{i}}"}"""));
        var bigState = "\"" + new string('x', (1024 * 1024) + 10) + "\"";

        var cases = new (string Body, HttpStatusCode Expected)[]
        {
            ("""{"documents":[{"id":"nope","cursor":0}]}""", HttpStatusCode.NotFound),
            ($$"""{"documents":[{"id":"{{doc}}","cursor":-1}]}""", HttpStatusCode.BadRequest),
            ($$"""{"documents":[{"id":"{{doc}}","cursor":4}]}""", HttpStatusCode.BadRequest),
            ($$"""{"documents":[{"id":"{{doc}}","anchor":1}]}""", HttpStatusCode.BadRequest),
            ($$"""{"documents":[{"id":"{{doc}}","cursor":1,"cursorRelative":"AA=="}]}""", HttpStatusCode.BadRequest),
            ($$"""{"documents":[{"id":"{{doc}}","cursorRelative":"***"}]}""", HttpStatusCode.BadRequest),
            ($$"""{"documents":[{"id":"{{doc}}","cursorRelative":"/////w=="}]}""", HttpStatusCode.BadRequest),
            ($$"""{"documents":[{"id":"{{doc}}"},{"id":"{{doc}}"}]}""", HttpStatusCode.BadRequest),
            ($$"""{"documents":[{"id":""}]}""", HttpStatusCode.BadRequest),
            ($$"""{"documents":[{"id":"{{doc}}","cursor":1.5}]}""", HttpStatusCode.BadRequest),
            ($$"""{"documents":[{{tooManyDocs}}]}""", HttpStatusCode.BadRequest),
            ($$"""{"documents":[],"state":{{bigState}}}""", HttpStatusCode.RequestEntityTooLarge),
            ("{}", HttpStatusCode.BadRequest),
            ("null", HttpStatusCode.BadRequest),
            ("[1,2]", HttpStatusCode.BadRequest),
            ("{\"documents\":[", HttpStatusCode.BadRequest),
            ("", HttpStatusCode.BadRequest),
        };

        foreach (var (body, expected) in cases)
        {
            var response = await PutRawAsync(node, body);
            Assert.True(expected == response.StatusCode, $"{body[..Math.Min(body.Length, 80)]}: {response.StatusCode}");
            Assert.Contains("error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var activity = (await node.Http.GetFromJsonAsync<ActivityView>("api/activity"))!;
        Assert.Equal(1, activity.Version);
        Assert.Equal(1, Assert.Single(activity.Documents).Cursor);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task MutatedBodies_NeverFailTheServer_AndFailuresChangeNothing(int seed)
    {
        await using var node = await TestNode.StartAsync();
        var doc = await CreateAsync(node, "some text here");
        var valid = $$$"""{"documents":[{"id":"{{{doc}}}","cursor":3,"anchor":7,"view":{"zoom":1}}],"state":{"k":[1,2,{"x":null}]}}""";
        var random = new Random(seed);
        var version = 0L;
        for (var round = 0; round < 60; round++)
        {
            var body = Mutate(valid, random);
            var response = await PutRawAsync(node, body);
            var activity = (await node.Http.GetFromJsonAsync<ActivityView>("api/activity"))!;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.True(activity.Version == version + 1, $"seed {seed} round {round}: {body}");
                version = activity.Version;
            }
            else
            {
                Assert.True(
                    response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.RequestEntityTooLarge,
                    $"seed {seed} round {round}: {(int)response.StatusCode} for {body}");
                Assert.True(activity.Version == version, $"seed {seed} round {round}: a failed PUT changed the activity: {body}");
            }
        }
    }

    private static string Mutate(string text, Random random)
    {
        var chars = new StringBuilder(text);
        var edits = random.Next(1, 4);
        for (var i = 0; i < edits && chars.Length > 0; i++)
        {
            var at = random.Next(chars.Length);
            switch (random.Next(4))
            {
                case 0:
                    chars.Remove(at, 1);
                    break;
                case 1:
                    chars.Insert(at, "{}[]\",:-019aZ\\"[random.Next(14)]);
                    break;
                case 2:
                    chars[at] = (char)random.Next(32, 127);
                    break;
                default:
                    chars.Length = at;
                    break;
            }
        }

        return chars.ToString();
    }

    private static async Task<HttpResponseMessage> PutRawAsync(TestNode node, string body) =>
        await node.Http.PutAsync("api/activity", new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<string> CreateAsync(TestNode node, string text)
    {
        var doc = (await (await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("d"))).Content.ReadFromJsonAsync<DocView>())!;
        (await node.Http.PostAsJsonAsync($"api/docs/{doc.Id}/append", new AppendRequest(text, null))).EnsureSuccessStatusCode();
        return doc.Id;
    }
}
