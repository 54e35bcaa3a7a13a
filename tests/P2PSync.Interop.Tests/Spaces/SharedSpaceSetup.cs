namespace P2PSync.Interop.Tests.Spaces;

/// <summary>What the first chapter of <see cref="TwoPeopleSpaceProcessTests"/> built: the shared space, its two documents, and each person's private document (ids).</summary>
internal sealed record SharedSpaceSetup(string Space, string Plan, string Notes, string AliceDiary, string BobDiary);
