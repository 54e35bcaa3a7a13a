using System.Net;
using P2PSync.Interop.Tests.Handoff;
using P2PSync.Interop.Tests.Node;

namespace P2PSync.Interop.Tests.Spaces;

/// <summary>
/// `space add` and `space role` between one person's two devices: a device added as a viewer
/// reads the space but may not write, and once made an editor its edits reach the owner. The
/// change travels as membership entries over the sync connection, with no invite involved.
/// </summary>
[Collection("node processes")]
public sealed class MemberVerbProcessTests
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AddedAsViewer_ReadsButCannotWrite_ThenMadeEditor_Writes()
    {
        await using var group = await NodeGroup.StartAsync("owner", "added");
        var (owner, added) = (group[0], group[1]);

        // The space exists before the devices trust each other, so `space new` did not make the second an owner.
        var space = await SpaceCli.NewSpaceAsync(owner, "Side");
        await owner.TrustAsync(added);
        await added.TrustAsync(owner);
        var doc = await SpaceCli.NewDocAsync(owner, "side notes", space);
        await owner.AppendAsync(doc, "[owner]");
        Expect.Equal(null, (await added.Http.SpaceAsync(space))?.Role, "the second device's role before `space add`", group);

        await P2PSyncCli.SucceedAsync(owner, "space", "add", space, added.DeviceId, "--role", "viewer");
        await RoleAsync(group, added, space, "viewer");
        await NodeSyncProcessTests.ConvergedAsync(doc, ["[owner]"], owner, added);
        var (status, body) = await added.Http.TryAppendAsync(doc, "[added as viewer]");
        Assert.True(status == HttpStatusCode.Forbidden, $"a viewer's append should be refused with 403, got {(int)status}: {body}");

        await P2PSyncCli.SucceedAsync(owner, "space", "role", space, added.DeviceId, "editor");
        await RoleAsync(group, added, space, "editor");
        await added.AppendAsync(doc, "[added as editor]");
        await NodeSyncProcessTests.ConvergedAsync(doc, ["[owner]", "[added as editor]"], owner, added);
        Expect.Equal("[owner][added as editor]", await owner.TextAsync(doc), "the owner's text (the refused viewer append must not be in it)", group);
    }

    private static Task RoleAsync(NodeGroup group, NodeProcess node, string space, string role) =>
        Eventually.TrueAsync(
            async () => (await node.Http.SpaceAsync(space))?.Role == role,
            Convergence,
            async () => $"{node.DeviceId[..8]} never became {role} of space {space}: {(await node.Http.SpaceAsync(space))?.Role ?? "not a member"}\n{group.Logs()}");
}
