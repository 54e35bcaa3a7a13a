using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Security.Invites;

/// <summary>
/// Both ends of redeeming an invite (docs/protocol/join.md): the joiner turns its code into a
/// <see cref="JoinRequest"/>, the inviter decides whether to accept it. Pure: the caller looks the
/// invite up, marks it used atomically in the store, and adds the member.
/// </summary>
internal static class InviteRedemption
{
    /// <summary>The request a joining device sends for <paramref name="code"/>.</summary>
    public static JoinRequest CreateRequest(InviteCode code, DeviceKey joiner, string deviceName, ushort listenPort)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(joiner);
        ArgumentNullException.ThrowIfNull(deviceName);
        var space = SpaceId.FromBytes(code.SpaceId);
        return new JoinRequest
        {
            InviteId = Google.Protobuf.ByteString.CopyFrom(InviteSecrets.InviteId(code.Secret)),
            Proof = Google.Protobuf.ByteString.CopyFrom(InviteSecrets.Proof(code.Secret, joiner.Id, code.Inviter, space)),
            DeviceName = deviceName,
            ListenPort = listenPort,
        };
    }

    /// <summary>
    /// Why <paramref name="request"/> from <paramref name="joiner"/> must be refused, or null when
    /// the inviter may add the joiner with the invite's role. <paramref name="invite"/> is what the
    /// store holds under the request's invite id (null when nothing); <paramref name="joiner"/> is
    /// the device authenticated by the channel, never a name from the request.
    /// </summary>
    /// <remarks>
    /// The proof is checked before anything about the invite's state is revealed, so a device that
    /// does not hold the code learns only "unknown" or "bad proof", never whether an invite is used
    /// or expired. Membership comes next, so a member retrying its own code is told it is already
    /// in rather than that the code is used.
    /// </remarks>
    public static JoinRefusal? Check(
        PendingInvite? invite, JoinRequest request, DeviceId joiner, DeviceId inviter, long nowMs, SpaceDirectory spaces)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(spaces);
        if (joiner.IsEmpty || inviter.IsEmpty)
        {
            throw new ArgumentException("Redeeming an invite needs both authenticated devices.", joiner.IsEmpty ? nameof(joiner) : nameof(inviter));
        }

        if (invite is null || !request.InviteId.Span.SequenceEqual(invite.Id) || spaces.Find(invite.Space) is null)
        {
            return JoinRefusal.UnknownInvite;
        }

        if (!InviteSecrets.IsValidProof(request.Proof.Span, invite.Secret, joiner, inviter, invite.Space))
        {
            return JoinRefusal.BadProof;
        }

        if (spaces.IsMember(invite.Space, joiner))
        {
            return JoinRefusal.AlreadyMember;
        }

        if (invite.IsUsed)
        {
            return JoinRefusal.AlreadyUsed;
        }

        if (invite.IsExpired(nowMs))
        {
            return JoinRefusal.Expired;
        }

        return null;
    }
}
