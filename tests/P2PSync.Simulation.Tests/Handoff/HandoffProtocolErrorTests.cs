using Google.Protobuf;
using P2PSync.Node.Handoff;
using P2PSync.Protocol.Wire;
using Xunit.Abstractions;

namespace P2PSync.Simulation.Tests.Handoff;

/// <summary>
/// A peer that breaks the handoff protocol: the engine throws HandoffProtocolException (so the
/// host closes that connection), fails the handoff with the reason, and leaves every document
/// either as it was or completely applied.
/// </summary>
public sealed class HandoffProtocolErrorTests(ITestOutputHelper output)
{
    [Fact]
    public void Begin_or_chunk_for_an_unknown_handoff_is_a_protocol_error()
    {
        var sim = new HandoffSimulation(21, 2);
        var (a, b) = (sim.A, sim.B);
        sim.Connect(a, b);
        sim.DeliverAll();

        var begin = new Envelope { HandoffBegin = new HandoffBegin { HandoffId = "made-up", ActivityJson = ByteString.CopyFromUtf8("{}") } };
        var ex = Assert.Throws<HandoffProtocolException>(() => b.Engine.OnEnvelope(a.Id, begin));
        Assert.Equal($"{a.Id} sent a HandoffBegin for unknown handoff made-up", ex.Message);

        var chunk = new Envelope { HandoffChunk = new HandoffChunk { HandoffId = "made-up", DocId = "notes", Data = ByteString.CopyFrom(1, 2), Last = true } };
        Assert.Throws<HandoffProtocolException>(() => b.Engine.OnEnvelope(a.Id, chunk));
        var result = new Envelope { HandoffResult = new HandoffResult { HandoffId = "made-up", Ready = true } };
        Assert.Throws<HandoffProtocolException>(() => a.Engine.OnEnvelope(b.Id, result));
        var badId = new Envelope { HandoffDecline = new HandoffDecline { HandoffId = "../etc" } };
        Assert.Throws<HandoffProtocolException>(() => a.Engine.OnEnvelope(b.Id, badId));
        // A decline for an id we do not know is a harmless race (we may have forgotten it).
        Assert.Same(HandoffOutput.None, a.Engine.OnEnvelope(b.Id, new Envelope { HandoffDecline = new HandoffDecline { HandoffId = "gone" } }));
        Assert.Empty(b.Engine.Handoffs);
        Assert.Throws<ArgumentException>(() => a.Engine.OnEnvelope(b.Id, new Envelope { Ping = new Ping() }));
    }

    [Fact]
    public void Chunks_out_of_order_fail_the_handoff_and_leave_the_document_untouched()
    {
        var sim = new HandoffSimulation(22, 2, new HandoffOptions { ChunkBytes = 8 });
        var (a, b) = (sim.A, sim.B);
        a.Documents.Create("notes", "Notes", sim.NowMs, a.Id);
        a.Documents.Edit("notes", d => d.GetText("text").Insert(0, "some text long enough for several chunks"));
        HandoffTestActivity.Open(a, "notes");
        sim.Connect(a, b);
        sim.DeliverAll();
        sim.Run(b, e => e.Pull(a.Id));
        Assert.True(sim.DeliverOne(b, a));
        Assert.True(sim.DeliverOne(a, b)); // Begin
        Assert.True(sim.DeliverOne(a, b)); // chunk at 0
        var skipped = sim.Peek(a, b);
        Assert.Equal(8UL, skipped.HandoffChunk.Offset);

        var later = new Envelope { HandoffChunk = skipped.HandoffChunk.Clone() };
        later.HandoffChunk.Offset = 16;
        var ex = Assert.Throws<HandoffProtocolException>(() => b.Engine.OnEnvelope(a.Id, later));
        Assert.Contains("chunks out of order", ex.Message);

        var info = b.Engine.Handoffs.Single();
        Assert.Equal(HandoffState.Failed, info.State);
        Assert.Equal("protocol error: " + ex.Message, info.Reason);
        Assert.False(b.Documents.Has("notes"));
        // The failure's event comes with the next output (the host disconnects next).
        var next = b.Engine.OnDisconnected(a.Id);
        Assert.Equal(HandoffEvent.Failed, Assert.Single(next.Events).Kind);
        Assert.Equal(info.Id, next.Events[0].HandoffId);
    }

    [Fact]
    public void Chunk_of_another_document_before_the_current_one_is_complete_is_a_protocol_error()
    {
        var sim = new HandoffSimulation(23, 2, new HandoffOptions { ChunkBytes = 8 });
        var (a, b) = (sim.A, sim.B);
        foreach (var id in new[] { "one", "two" })
        {
            a.Documents.Create(id, id, sim.NowMs, a.Id);
            a.Documents.Edit(id, d => d.GetText("text").Insert(0, "more than eight bytes of text"));
        }

        HandoffTestActivity.Open(a, "one", "two");
        sim.Connect(a, b);
        sim.DeliverAll();
        sim.Run(b, e => e.Pull(a.Id));
        Assert.True(sim.DeliverOne(b, a));
        Assert.True(sim.DeliverOne(a, b)); // Begin
        var wrong = new Envelope { HandoffChunk = new HandoffChunk { HandoffId = b.Engine.Handoffs[0].Id, DocId = "two", Offset = 0, Data = ByteString.CopyFrom(0, 0), Last = true } };

        var ex = Assert.Throws<HandoffProtocolException>(() => b.Engine.OnEnvelope(a.Id, wrong));
        Assert.Contains("while one is incomplete", ex.Message);
        Assert.False(b.Documents.Has("one"));
        Assert.False(b.Documents.Has("two"));
    }

    /// <summary>
    /// Seeded mutations of a real transfer's messages (offsets, ids, flags, lengths, payload
    /// bytes, dropped, repeated and swapped chunks, a mangled activity): every run either
    /// completes, or is refused by the wire codec or the engine (HandoffProtocolException) with
    /// the handoff failed, or stalls and fails at the timeout; never another exception. Each of
    /// B's documents is absent or equal to A's (payload corruption aside: the Noise channel's
    /// AEAD rules that out, and a corrupted but well-formed update is still applied whole).
    /// </summary>
    [Fact]
    public void Mutated_transfers_fail_cleanly_or_complete_correctly()
    {
        var outcomes = new SortedDictionary<string, int>();
        HandoffSeeds.Run(200, seed =>
        {
            var random = new Random(seed);
            var sim = new HandoffSimulation(seed, 2, new HandoffOptions { ChunkBytes = 16 + random.Next(64) });
            var (a, b) = (sim.A, sim.B);
            foreach (var id in new[] { "one", "two" })
            {
                a.Documents.Create(id, "Doc " + id, sim.NowMs, a.Id);
                a.Documents.Edit(id, d => d.GetText("text").Insert(0, new string('x', 50 + random.Next(200))));
                a.Documents.Edit(id, d => d.GetText("text").Insert(random.Next(10), "inserted"));
            }

            HandoffTestActivity.Open(a, "one", "two");
            sim.Connect(a, b);
            sim.DeliverAll();
            sim.Run(b, e => e.Pull(a.Id));
            Assert.True(sim.DeliverOne(b, a));
            var messages = sim.Drain(a, b);
            var mutation = Mutate(messages, random);

            string outcome;
            try
            {
                foreach (var message in messages)
                {
                    sim.Run(b, e => e.OnEnvelope(a.Id, EnvelopeCodec.Decode(EnvelopeCodec.Encode(message))));
                }

                var state = b.Engine.Handoffs.Single().State;
                if (state == HandoffState.Transferring)
                {
                    sim.Advance(TimeSpan.FromSeconds(61));
                    Assert.Equal(HandoffState.Failed, b.Engine.Handoffs.Single().State);
                    Assert.StartsWith("the transfer from", b.Engine.Handoffs.Single().Reason);
                }

                outcome = b.Engine.Handoffs.Single().State.ToString();
            }
            catch (WireFormatException)
            {
                outcome = "codec";
            }
            catch (HandoffProtocolException ex)
            {
                var info = b.Engine.Handoffs.Single();
                if (info.State == HandoffState.Ready)
                {
                    // A repeated or swapped message after the last chunk: the handoff was
                    // complete, the stray message is still refused.
                    outcome = "protocol after ready";
                }
                else
                {
                    outcome = "protocol";
                    Assert.Equal(HandoffState.Failed, info.State);
                    Assert.Equal("protocol error: " + ex.Message, info.Reason);
                }
            }

            outcomes[$"{mutation}: {outcome}"] = outcomes.GetValueOrDefault($"{mutation}: {outcome}") + 1;
            foreach (var id in new[] { "one", "two" })
            {
                if (b.Documents.Has(id) && mutation != "payload byte")
                {
                    Assert.Equal(a.Documents.Text(id), b.Documents.Text(id));
                }
            }

            if (outcome is nameof(HandoffState.Ready) or "protocol after ready")
            {
                Assert.Equal(a.Id.ToString(), b.Activity.Current.ResumedFrom);
            }
            else
            {
                Assert.Null(b.Activity.Current.ResumedFrom);
            }
        });

        output.WriteLine(string.Join("\n", outcomes.Select(o => $"{o.Key} x{o.Value}")));
        // Each kind of mutation was tried, and most are refused rather than silently accepted.
        Assert.True(outcomes.Keys.Select(k => k.Split(':')[0]).Distinct().Count() >= 10, string.Join(", ", outcomes));
        Assert.True(outcomes.Where(o => !o.Key.EndsWith(nameof(HandoffState.Ready), StringComparison.Ordinal)).Sum(o => o.Value) > 100, string.Join(", ", outcomes));
    }

    private static string Mutate(List<Envelope> messages, Random random)
    {
        var chunks = Enumerable.Range(0, messages.Count).Where(i => messages[i].BodyCase == Envelope.BodyOneofCase.HandoffChunk).ToList();
        var pick = chunks[random.Next(chunks.Count)];
        var chunk = messages[pick].HandoffChunk;
        var begin = messages[0].HandoffBegin;
        switch (random.Next(11))
        {
            case 0:
                chunk.Offset = (ulong)Math.Max(0, (long)chunk.Offset + (random.Next(2) == 0 ? -1 : 1) * (1 + random.Next(40)));
                return "offset";
            case 1:
                chunk.DocId = random.Next(2) == 0 ? (chunk.DocId == "one" ? "two" : "one") : "other";
                return "chunk doc id";
            case 2:
                chunk.Last = !chunk.Last;
                return "last flag";
            case 3:
                var bytes = chunk.Data.ToByteArray();
                if (bytes.Length > 0)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 + random.Next(255));
                }

                chunk.Data = ByteString.CopyFrom(bytes);
                return "payload byte";
            case 4:
                messages.RemoveAt(pick);
                return "dropped chunk";
            case 5:
                messages.Insert(pick, messages[pick].Clone());
                return "repeated chunk";
            case 6:
                chunk.Data = chunk.Data.Length > 0 ? ByteString.CopyFrom(chunk.Data.Span[..^1]) : ByteString.CopyFrom(7);
                return "chunk length";
            case 7:
                var json = begin.ActivityJson.ToByteArray();
                json[random.Next(json.Length)] = (byte)random.Next(256);
                begin.ActivityJson = ByteString.CopyFrom(json);
                return "activity json";
            case 8:
                var document = begin.Documents[random.Next(begin.Documents.Count)];
                document.UpdateBytes = (ulong)Math.Max(0, (long)document.UpdateBytes + (random.Next(2) == 0 ? -1 : 1) * (1 + random.Next(40)));
                return "update bytes";
            case 9:
                begin.Documents[random.Next(begin.Documents.Count)].Record.DocId = random.Next(2) == 0 ? "one" : "elsewhere";
                return "begin doc id";
            default:
                if (pick + 1 < messages.Count)
                {
                    (messages[pick], messages[pick + 1]) = (messages[pick + 1], messages[pick]);
                }
                else
                {
                    (messages[pick], messages[pick - 1]) = (messages[pick - 1], messages[pick]);
                }

                return "swapped chunks";
        }
    }
}
