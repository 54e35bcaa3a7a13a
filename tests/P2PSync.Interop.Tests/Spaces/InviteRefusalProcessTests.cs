using P2PSync.Interop.Tests.Handoff;
using P2PSync.Interop.Tests.Node;
using P2PSync.Node.Security.Invites;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.Spaces;

/// <summary>
/// `p2psync join` refuses a used code, an expired code (also one re-made to claim a later expiry)
/// and a code edited by one character, each with a message that says so, and stores nothing; the
/// same joiner then gets in with a good code, so the refusals were the codes' doing, not its own,
/// and only with the role the inviter issued.
/// </summary>
[Collection("node processes")]
public sealed class InviteRefusalProcessTests(ITestOutputHelper output)
{
    // Seeded one-character edits; the seed is in every failure message.
    private const int EditSeed = 6061;
    private const int Edits = 2;

    [Fact]
    public async Task UsedExpiredAndEditedCodes_AreRefusedWithAClearMessage_AndStoreNothing()
    {
        await using var group = await NodeGroup.StartAsync("inviter", "first-joiner", "second-joiner");
        var (inviter, first, second) = (group[0], group[1], group[2]);
        var space = await SpaceCli.NewSpaceAsync(inviter, "Team");
        var listedBefore = await SpaceCli.ListAsync(second);
        var spacesBefore = await SpacesJsonAsync(second);

        // Valid for one second; issued first so that it runs out while the other cases run.
        var expired = await SpaceCli.InviteAsync(inviter, space, "editor", expires: "1s");
        var expiredIssued = System.Diagnostics.Stopwatch.StartNew();

        // Used: the first joiner redeems the code, then the second tries the same one. Another
        // invite is open meanwhile, as it usually is: the node admits unknown devices only while
        // some invite is open, so this is the case where the inviter itself must spot the reuse.
        var used = await SpaceCli.InviteAsync(inviter, space, "editor");
        await SpaceCli.JoinOrFailAsync(first, inviter, used);
        var good = await SpaceCli.InviteAsync(inviter, space, "viewer");
        await RefusedAsync(second, space, used, "already used", spacesBefore, group);
        Assert.True(inviter.Log.Contains("refused", StringComparison.Ordinal), $"the inviter should log the refusal\n{group.Logs()}");

        // Expired: tried at least two seconds after it was issued.
        var left = TimeSpan.FromSeconds(2) - expiredIssued.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }

        await RefusedAsync(second, space, expired, "expired", spacesBefore, group);

        // The expiry written in a code is only the joiner's early warning: the checksum is not a
        // secret, so anyone can re-make the code with a later one. The inviter goes by its own record.
        var stale = InviteCodec.Decode(expired);
        var extended = Remake(stale, stale.Role, stale.ExpiresAtUnixSeconds + 3600);
        await RefusedAsync(second, space, extended, "expired", spacesBefore, group, "(a code re-made with a later expiry)");

        // Edited: one symbol replaced by another valid one, at a seeded position.
        var random = new Random(EditSeed);
        for (var i = 0; i < Edits; i++)
        {
            var edited = EditOneSymbol(good, random, out var where);
            output.WriteLine($"seed {EditSeed}, edit {i}: {where}");
            await RefusedAsync(second, space, edited, "invite code", spacesBefore, group, $"seed {EditSeed}, edit {i} ({where})");
        }

        // What the user would look at, once, after all the refusals (the API was checked after each).
        Expect.Equal(listedBefore, await SpaceCli.ListAsync(second), "`space list` on the refused joiner", group);
        var members = (await P2PSyncCli.SucceedAsync(inviter, "space", "members", space)).Stdout;
        Assert.True(members.Contains(first.DeviceId, StringComparison.Ordinal) && !members.Contains(second.DeviceId, StringComparison.Ordinal), $"after the refusals only the first joiner is a member:\n{members}");

        // The viewer's code re-made to say "editor" still works, since nothing above was the
        // joiner's fault, but it makes a viewer: the inviter grants the role it issued, not the
        // one the code claims.
        var promoted = Remake(InviteCodec.Decode(good), InviteRole.Editor, InviteCodec.Decode(good).ExpiresAtUnixSeconds);
        await SpaceCli.JoinOrFailAsync(second, inviter, promoted);
        Expect.Equal("viewer", (await second.Http.SpaceAsync(space))?.Role, "the joiner's role from a viewer code re-made to say editor", group);
        Expect.Equal("viewer", (await inviter.Http.SpaceAsync(space))?.Members.SingleOrDefault(m => m.DeviceId == second.DeviceId)?.Role, "the role the inviter recorded for that joiner", group);
    }

    /// <summary>GET /api/spaces as JSON text: every space with its role, members, key epoch and documents.</summary>
    private static async Task<string> SpacesJsonAsync(NodeProcess node) => System.Text.Json.JsonSerializer.Serialize(await node.Http.SpacesAsync());

    private static string Remake(InviteCode code, InviteRole role, long expiresAtUnixSeconds) =>
        InviteCodec.Encode(new InviteCode(code.SpaceId, role, code.Inviter, code.InviterAddresses, expiresAtUnixSeconds, code.Secret));

    private static async Task RefusedAsync(NodeProcess joiner, string space, string code, string expectedWords, string spacesBefore, NodeGroup group, string? context = null)
    {
        var result = await SpaceCli.JoinAsync(joiner, code);
        var said = result.Stdout + result.Stderr;
        Assert.True(!result.Succeeded, $"{context} the join should be refused:\n{result}\n{group.Logs()}");
        Assert.True(said.Contains(expectedWords, StringComparison.OrdinalIgnoreCase), $"{context} the refusal should say \"{expectedWords}\":\n{result}");
        var spacesAfter = await SpacesJsonAsync(joiner);
        Assert.True(spacesAfter == spacesBefore, $"{context} a refused join must store nothing, but the spaces changed:\n{spacesAfter}\nwas:\n{spacesBefore}");
        Assert.True(await joiner.Http.SpaceAsync(space) is null, $"{context} a refused joiner must not hold space {space}");
    }

    /// <summary>The code with one base32 symbol (not a dash) replaced by a different symbol of the alphabet.</summary>
    private static string EditOneSymbol(string code, Random random, out string where)
    {
        var positions = Enumerable.Range(0, code.Length).Where(i => code[i] != '-').ToList();
        var at = positions[random.Next(positions.Count)];
        var replacements = CrockfordBase32.Alphabet.Where(c => c != char.ToUpperInvariant(code[at])).ToList();
        var symbol = replacements[random.Next(replacements.Count)];
        where = $"symbol {at} '{code[at]}' -> '{symbol}'";
        return string.Concat(code.AsSpan(0, at), symbol.ToString(), code.AsSpan(at + 1));
    }
}
