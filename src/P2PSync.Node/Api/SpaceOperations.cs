using P2PSync.Node.Hosting;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Storage;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Api;

/// <summary>
/// Every space, member, invite and space-aware document request, for both the local API (running
/// node) and the CLI on the store (no node): one place that validates input and turns every
/// refusal into a <see cref="SpaceRequestException"/>, so the two surfaces cannot drift apart.
/// </summary>
internal sealed class SpaceOperations
{
    /// <summary>Shortest space-id or device-id prefix accepted: shorter ones match too much by accident.</summary>
    public const int MinPrefixLength = 4;

    private readonly NodeSpaces _spaces;
    private readonly PeerBook _peers;
    private readonly DocumentHub _documents;

    public SpaceOperations(NodeSpaces spaces, PeerBook peers, DocumentHub documents)
    {
        _spaces = spaces;
        _peers = peers;
        _documents = documents;
    }

    public IReadOnlyList<SpaceView> List() => _spaces.Read(() =>
    {
        var counts = DocumentCounts();
        return (IReadOnlyList<SpaceView>)[.. _spaces.List()
            .OrderByDescending(s => s.Personal)
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ThenBy(s => s.Id.ToString(), StringComparer.Ordinal)
            .Select(s => new SpaceView(s.Id.ToString(), s.Name, RoleName(s, _spaces.Self), s.Log.Members.Count, s.Log.CurrentEpoch, counts.GetValueOrDefault(s.Id), s.Personal))];
    });

    /// <exception cref="SpaceRequestException">No such space.</exception>
    public SpaceDetailView Describe(string space) => Detail(Resolve(space));

    /// <summary>A new space: this device its owner, with this user's trusted devices as owners too.</summary>
    /// <exception cref="SpaceRequestException">A missing or invalid name.</exception>
    public SpaceDetailView Create(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new SpaceRequestException(SpaceRequestProblem.BadInput, "name is required");
        }

        try
        {
            return Detail(_spaces.Create(name, NodeHost.TrustedDevices(_peers)));
        }
        catch (InvalidStoreInputException ex)
        {
            throw new SpaceRequestException(SpaceRequestProblem.BadInput, ex.Message, ex);
        }
    }

    /// <summary>Adds a device this node knows (a trusted device or a member of a space we share) directly, without an invite.</summary>
    /// <exception cref="SpaceRequestException">Bad input, unknown space or device, not an owner, already a member.</exception>
    public SpaceDetailView AddMember(string space, string? device, string? role)
    {
        var found = RequireShared(Resolve(space), "add members");
        if (string.IsNullOrWhiteSpace(device))
        {
            throw new SpaceRequestException(SpaceRequestProblem.BadInput, "device is required");
        }

        var parsedRole = SpaceRoles.Parse(role);
        var id = ParseDevice(device);
        if (!id.Equals(_spaces.Self) && _peers.FindAny(id.ToString()) is null && !_spaces.SharesAnySpace(id))
        {
            throw new SpaceRequestException(
                SpaceRequestProblem.NotFound,
                $"device {id.ToShortString()} is not known here: add your own devices with `p2psync peer add`, invite anyone else with `p2psync invite`");
        }

        Membership(() => _spaces.AddMember(found.Id, id, parsedRole));
        return Describe(found.Id.ToString());
    }

    /// <exception cref="SpaceRequestException">Bad input, unknown space or member, not an owner, the last owner.</exception>
    public SpaceDetailView ChangeRole(string space, string device, string? role)
    {
        var found = RequireShared(Resolve(space), "change roles");
        var parsedRole = SpaceRoles.Parse(role);
        var member = _spaces.Read(() => ResolveMember(found, device));
        Membership(() => _spaces.ChangeRole(found.Id, member, parsedRole));
        return Describe(found.Id.ToString());
    }

    /// <summary>Removes a member and rotates the space's content key (the removed device never gets the new one).</summary>
    /// <exception cref="SpaceRequestException">Bad input, unknown space or member, not an owner, the last owner.</exception>
    public SpaceDetailView Remove(string space, string device)
    {
        var found = RequireShared(Resolve(space), "remove members");
        var member = _spaces.Read(() => ResolveMember(found, device));
        if (member.Equals(_spaces.Self))
        {
            // Leaving would need an entry signed by another owner: a device cannot drop itself.
            throw new SpaceRequestException(
                SpaceRequestProblem.Conflict, $"this device cannot remove itself from space \"{found.Name}\"; another owner has to remove it");
        }

        Membership(() => _spaces.Remove(found.Id, member));
        return Describe(found.Id.ToString());
    }

    /// <summary>A one-time invite to the space.</summary>
    /// <param name="defaultAddresses">Where this node listens (the running node's); used when the request names none.</param>
    /// <exception cref="SpaceRequestException">Bad role, duration or address; no address at all; unknown space; not an owner.</exception>
    /// <param name="throughRelay">The node runs with a relay: open the invite in the log so it can be claimed from the relay while this node is offline.</param>
    /// <param name="relayOnly">No addresses in the code: it is redeemed through the relay alone (needs <paramref name="throughRelay"/>).</param>
    public InviteView Invite(string space, string? role, string? expires, IReadOnlyList<string>? addresses, IReadOnlyList<string> defaultAddresses, bool throughRelay = false, bool relayOnly = false)
    {
        var found = RequireShared(Resolve(space), "be shared by invite");
        var inviteRole = SpaceRoles.ParseInvite(role);
        var validFor = InviteExpiry.Parse(expires);
        if (relayOnly && (!throughRelay || addresses is { Count: > 0 }))
        {
            throw new SpaceRequestException(
                SpaceRequestProblem.BadInput,
                throughRelay ? "a relay-only invite carries no address; drop --address" : "a relay-only invite needs a relay: run the node with one (`p2psync up --relay URL`) or store one (`p2psync relay add URL`)");
        }

        IReadOnlyList<string> chosen = relayOnly ? [] : ChooseAddresses(addresses, defaultAddresses);
        InviteCode code;
        try
        {
            code = _spaces.CreateInvite(found.Id, inviteRole, validFor, chosen, throughRelay);
        }
        catch (MembershipException ex)
        {
            throw ToRequestException(ex);
        }
        catch (UnknownSpaceException ex)
        {
            throw new SpaceRequestException(SpaceRequestProblem.NotFound, ex.Message, ex);
        }

        return new InviteView(InviteCodec.Encode(code), InviteCodec.ToUrl(code), code.ExpiresAt);
    }

    /// <summary>A new document in the named space, or in the personal space when none is named.</summary>
    /// <exception cref="SpaceRequestException">A missing or invalid name, unknown space, or this device is a viewer there.</exception>
    public DocView CreateDocument(string? name, string? space, object source)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new SpaceRequestException(SpaceRequestProblem.BadInput, "name is required");
        }

        var target = space is null ? _spaces.Personal : Resolve(space);
        try
        {
            var created = target is null ? _documents.Create(name, source) : _documents.Create(name, target.Id, source);
            return ToView(created);
        }
        catch (InvalidStoreInputException ex)
        {
            throw new SpaceRequestException(SpaceRequestProblem.BadInput, ex.Message, ex);
        }
        catch (ReadOnlyDocumentException ex)
        {
            throw new SpaceRequestException(
                SpaceRequestProblem.Forbidden,
                $"this device is {Describe(target?.Log.RoleOf(_spaces.Self))} of space \"{target?.Name}\", so it cannot create documents there",
                ex);
        }
    }

    /// <summary>Devices that are not trusted but share a space with this device, with those spaces' names.</summary>
    public IReadOnlyList<MemberPeer> MemberPeers() => _spaces.Read(() =>
    {
        var trusted = _peers.List().Select(p => p.DeviceId).ToHashSet(StringComparer.Ordinal);
        return (IReadOnlyList<MemberPeer>)[.. _spaces.List()
            .SelectMany(s => s.Log.Members.Keys.Select(d => (Device: d, Space: s)))
            .Where(m => !m.Device.Equals(_spaces.Self) && !trusted.Contains(m.Device.ToString()))
            .GroupBy(m => m.Device)
            .OrderBy(g => g.Key.ToString(), StringComparer.Ordinal)
            .Select(g => new MemberPeer(g.Key, _peers.FindAny(g.Key.ToString()), [.. g.Select(m => m.Space.Name).Order(StringComparer.Ordinal)]))];
    });

    /// <summary>The document as the API shows it, with its space.</summary>
    public static DocView ToView(DocumentRecord doc) => new(doc.Id, doc.Name, doc.CreatedMs, doc.Space.IsEmpty ? null : doc.Space.ToString());

    /// <summary>A relay URL given with a join: http(s):// or ws(s)://.</summary>
    /// <exception cref="SpaceRequestException">Not an absolute URL with one of those schemes.</exception>
    public static Uri ParseRelay(string relay) =>
        Uri.TryCreate(relay, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" or "ws" or "wss"
            ? url
            : throw new SpaceRequestException(SpaceRequestProblem.BadInput, $"a relay is an http(s):// or ws(s):// URL, not \"{relay}\"");

    /// <summary>Reads an invite code or link as typed.</summary>
    /// <exception cref="SpaceRequestException">Missing, or refused by the codec (a typo, a truncated or altered code) with its message (BadInput).</exception>
    public static InviteCode ParseCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            throw new SpaceRequestException(SpaceRequestProblem.BadInput, "code is required (the invite code or p2psync://join/ link)");
        }

        try
        {
            return InviteCodec.Decode(code);
        }
        catch (InviteCodeException ex)
        {
            throw new SpaceRequestException(SpaceRequestProblem.BadInput, ex.Message, ex);
        }
    }

    public static JoinedView Joined(Space space, DeviceId self, DeviceId inviter, string inviterName) =>
        new(space.Id.ToString(), space.Name, RoleName(space, self) ?? "none", inviter.ToString(), inviterName);

    /// <exception cref="SpaceRequestException">No space, or more than one, matches (NotFound).</exception>
    public Space Resolve(string space)
    {
        try
        {
            return _spaces.Resolve(space);
        }
        catch (UnknownSpaceException ex)
        {
            throw new SpaceRequestException(SpaceRequestProblem.NotFound, ex.Message, ex);
        }
    }

    private static string? RoleName(Space space, DeviceId device) =>
        space.Log.RoleOf(device) is { } role ? SpaceRoles.Name(role) : null;

    private static string Describe(SpaceRole? role) => role switch
    {
        SpaceRole.Owner => "an owner",
        SpaceRole.Editor => "an editor",
        SpaceRole.Viewer => "a viewer",
        _ => "no longer a member",
    };

    // The personal space's members are exactly the trusted devices (the node keeps it so), so a
    // member changed here by hand would be undone at the next start: say what to use instead.
    private static Space RequireShared(Space space, string what) =>
        space.Personal
            ? throw new SpaceRequestException(
                SpaceRequestProblem.Conflict,
                $"the personal space cannot {what}: its members are your own devices, managed with `p2psync peer add` / `peer remove`; create a space to share with `p2psync space new`")
            : space;

    private static IReadOnlyList<string> ChooseAddresses(IReadOnlyList<string>? requested, IReadOnlyList<string> defaults)
    {
        if (requested is { Count: > 0 })
        {
            if (requested.Count > InviteAddress.MaxCount)
            {
                throw new SpaceRequestException(SpaceRequestProblem.BadInput, $"an invite carries at most {InviteAddress.MaxCount} addresses, not {requested.Count}");
            }

            foreach (var address in requested)
            {
                var problem = address is null ? "an address is null" : InviteAddress.FindProblem(address);
                if (problem is not null)
                {
                    throw new SpaceRequestException(SpaceRequestProblem.BadInput, problem);
                }
            }

            return [.. requested.Distinct(StringComparer.Ordinal)];
        }

        if (defaults.Count == 0)
        {
            throw new SpaceRequestException(
                SpaceRequestProblem.NeedsRunningNode,
                "an invite needs someone to answer it: start the node with `p2psync up` or give --address HOST:PORT where it will listen");
        }

        return [.. defaults.Take(InviteAddress.MaxCount)];
    }

    private Dictionary<SpaceId, int> DocumentCounts() =>
        _documents.List().Where(d => !d.Space.IsEmpty).GroupBy(d => d.Space).ToDictionary(g => g.Key, g => g.Count());

    private SpaceDetailView Detail(Space space) => _spaces.Read(() =>
    {
        var trusted = _peers.List().Select(p => p.DeviceId).ToHashSet(StringComparer.Ordinal);
        var members = space.Log.Members
            .OrderBy(m => m.Value)
            .ThenBy(m => m.Key.ToString(), StringComparer.Ordinal)
            .Select(m => new MemberView(m.Key.ToString(), SpaceRoles.Name(m.Value), m.Key.Equals(_spaces.Self), trusted.Contains(m.Key.ToString())))
            .ToList();
        return new SpaceDetailView(
            space.Id.ToString(), space.Name, RoleName(space, _spaces.Self), space.Log.CurrentEpoch, DocumentCounts().GetValueOrDefault(space.Id), space.Personal, members);
    });

    private static DeviceId ParseDevice(string text) =>
        DeviceId.TryParse(text.Trim(), out var id)
            ? id
            : throw new SpaceRequestException(SpaceRequestProblem.BadInput, $"\"{text}\" is not a device id (see `p2psync id` on that device)");

    /// <summary>A current member, by full device id or a unique prefix of one.</summary>
    private static DeviceId ResolveMember(Space space, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new SpaceRequestException(SpaceRequestProblem.BadInput, "device is required");
        }

        var trimmed = text.Trim();
        var matches = DeviceId.TryParse(trimmed, out var full)
            ? space.Log.Members.Keys.Where(m => m.Equals(full)).ToList()
            : trimmed.Length >= MinPrefixLength
                ? space.Log.Members.Keys.Where(m => m.ToString().StartsWith(trimmed, StringComparison.OrdinalIgnoreCase)).ToList()
                : throw new SpaceRequestException(SpaceRequestProblem.BadInput, $"\"{text}\" is not a device id nor a prefix of at least {MinPrefixLength} characters of one");
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new SpaceRequestException(SpaceRequestProblem.NotFound, $"{trimmed} is not a member of space \"{space.Name}\" (see `p2psync space members`)"),
            _ => throw new SpaceRequestException(SpaceRequestProblem.BadInput, $"\"{trimmed}\" matches {matches.Count} members of space \"{space.Name}\"; use more of the id"),
        };
    }

    private static void Membership(Action change)
    {
        try
        {
            change();
        }
        catch (MembershipException ex)
        {
            throw ToRequestException(ex);
        }
        catch (UnknownSpaceException ex)
        {
            throw new SpaceRequestException(SpaceRequestProblem.NotFound, ex.Message, ex);
        }
    }

    private static SpaceRequestException ToRequestException(MembershipException ex) => new(
        ex.Refusal switch
        {
            MembershipRefusal.NotAnOwner => SpaceRequestProblem.Forbidden,
            MembershipRefusal.NotAMember => SpaceRequestProblem.NotFound,
            _ => SpaceRequestProblem.Conflict,
        },
        ex.Message,
        ex);
}
