using System.Net;
using System.Text;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Api.Spaces;

/// <summary>Seeded mutations of valid JSON bodies for every space endpoint: always a 4xx or a success, never a 5xx.</summary>
public sealed class SpaceBodyMutationTests
{
    private const int Rounds = 40;

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task MutatedBodies_NeverCauseA5xx(int seed)
    {
        await using var node = await TestNode.StartAsync(listen: false, seed: seed);
        var team = await node.NewSpaceAsync("team");
        var device = node.TrustNewDevice();
        var bodies = new (HttpMethod Method, string Path, string Json)[]
        {
            (HttpMethod.Post, "api/spaces", """{"name":"second"}"""),
            (HttpMethod.Post, "api/docs", $$"""{"name":"doc","space":"{{team.Id}}"}"""),
            (HttpMethod.Post, $"api/spaces/{team.Id}/members", $$"""{"device":"{{device}}","role":"viewer"}"""),
            (HttpMethod.Put, $"api/spaces/{team.Id}/members/{device}", """{"role":"editor"}"""),
            (HttpMethod.Post, $"api/spaces/{team.Id}/invites", """{"role":"editor","expires":"2h","addresses":["127.0.0.1:7420"]}"""),
            (HttpMethod.Post, "api/join", """{"code":"p2psync://join/ABCDE-FGHJK"}"""),
        };
        var random = new Random(seed);

        for (var round = 0; round < Rounds; round++)
        {
            var (method, path, json) = bodies[random.Next(bodies.Length)];
            var mutated = ByteMutator.Mutate(Encoding.UTF8.GetBytes(json), random);
            using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(mutated) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

            using var response = await node.Http.SendAsync(request);

            Assert.True(
                (int)response.StatusCode < 500,
                $"seed {seed} round {round}: {method} {path} with {Convert.ToHexString(mutated)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("api/spaces")).StatusCode);
    }
}
