using FastPrune.Pipeline;
using FastPrune.Search;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace FastPrune.Cluster;

/// <summary>
/// Evaluates a generation's subnets on the worker silos that have joined: each free worker gets the next genome, a
/// call that fails or outlives <see cref="DispatchOptions.Timeout"/> puts its genome back at the front of the queue
/// (and that worker on the <see cref="WorkerBench"/>, across generations, until its back-off is over or it answers),
/// and results are recorded in genome index order as soon as all before
/// them are in — so the history is the same whatever the number, speed or failures of workers. A genome that failed
/// <see cref="DispatchOptions.Retries"/> dispatches, and every genome while no worker is there, is evaluated in process.
/// </summary>
internal sealed class OrleansEvaluator(IClusterClient client, string spec, ReconMode mode, ISubnetEvaluator local,
    DispatchOptions options, Action<string>? log = null) : ISubnetEvaluator
{
    private readonly WorkerBench _bench = new(options.Backoff);

    /// <inheritdoc />
    public void EvaluateAll(IReadOnlyList<int[]> genomes, Action<int, SubnetResult> record, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        ArgumentNullException.ThrowIfNull(record);
        // The search is synchronous; Orleans' client is not tied to this thread, so blocking here cannot deadlock.
        RunAsync(genomes, record, cancel).GetAwaiter().GetResult();
    }

    private async Task RunAsync(IReadOnlyList<int[]> genomes, Action<int, SubnetResult> record, CancellationToken cancel)
    {
        int n = genomes.Count, recorded = 0;
        var results = new SubnetResult?[n];
        var failures = new int[n];
        var pending = new LinkedList<int>(Enumerable.Range(0, n));
        var running = new Dictionary<Task<WorkerReply>, (int Index, string Silo, Task<WorkerReply> Call)>();
        var misplaced = new HashSet<string>(); // silos whose grain Orleans placed elsewhere: not again this generation
        var management = client.GetGrain<IManagementGrain>(0);

        void Flush()
        {
            while (recorded < n && results[recorded] is { } r) record(recorded++, r);
        }

        while (recorded < n)
        {
            cancel.ThrowIfCancellationRequested();
            if (pending.Count > 0)
            {
                var busy = running.Values.Select(v => v.Silo).ToHashSet();
                var free = (await Hosts(management, cancel)).Select(s => (Address: s, Name: s.ToParsableString()))
                    .Where(s => !busy.Contains(s.Name) && !misplaced.Contains(s.Name) && !_bench.IsBenched(s.Name)).ToList();
                if (free.Count == 0 && running.Count == 0)
                {
                    // No worker to give it to: this process evaluates it, as a run without a cluster would.
                    int i = pending.First!.Value;
                    pending.RemoveFirst();
                    results[i] = Local(genomes[i], cancel);
                    Flush();
                    continue;
                }
                foreach (var (address, name) in free)
                {
                    if (pending.Count == 0) break;
                    int i = pending.First!.Value;
                    pending.RemoveFirst();
                    var call = Call(address, genomes[i]);
                    running.Add(call.WaitAsync(options.Timeout, cancel), (i, name, call));
                    log?.Invoke($"dispatch {i} {name}");
                }
            }
            if (running.Count == 0) continue;
            var done = await Task.WhenAny(running.Keys);
            var (index, where, raw) = running[done];
            running.Remove(done);
            try
            {
                var reply = await done;
                if (reply.FailureKind is { } kind) throw new FastPruneException((FastPruneErrorKind)kind, reply.Failure ?? "worker failure");
                if (reply.Misplaced)
                {
                    // Orleans activated the grain on another silo, which refused: the genome goes to another worker.
                    misplaced.Add(where);
                    pending.AddFirst(index);
                    log?.Invoke($"misplaced {index} {where}");
                    continue;
                }
                if (_bench.Readmit(where)) log?.Invoke($"readmit {where}");
                results[index] = new SubnetResult(genomes[index], reply.Macs, reply.Params, reply.Accuracy,
                    new SubnetTimings(reply.TSurgery, reply.TRecon, reply.TSession, reply.TInfer), null, reply.Escalations);
                log?.Invoke($"reply {index} {reply.Silo}");
                Flush();
            }
            catch (Exception e) when (e is not FastPruneException && !(e is OperationCanceledException && cancel.IsCancellationRequested))
            {
                // A worker that died, stalled or cannot be reached: its genome goes back first in line, elsewhere, and
                // the worker sits out its back-off; a stalled one that answers the timed-out call after all is back at once.
                var wait = _bench.Strike(where);
                log?.Invoke($"failed {index} {where} {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                log?.Invoke($"bench {where} {wait.TotalSeconds:0.###}");
                if (e is TimeoutException) _ = raw.ContinueWith(t =>
                {
                    if (t.IsCompletedSuccessfully && t.Result is { FailureKind: null, Misplaced: false } && _bench.Readmit(where)) log?.Invoke($"readmit {where}");
                }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                if (++failures[index] > options.Retries)
                {
                    results[index] = Local(genomes[index], cancel);
                    Flush();
                }
                else pending.AddFirst(index);
            }
        }
    }

    private SubnetResult Local(int[] genome, CancellationToken cancel)
    {
        SubnetResult? result = null;
        local.EvaluateAll([genome], (_, r) => result = r, cancel);
        return result!;
    }

    /// <summary>The grain call itself (the caller bounds its wait; the call may still answer after that).</summary>
    private Task<WorkerReply> Call(SiloAddress silo, int[] genome)
    {
        // One worker grain per silo, keyed by its address; the hint makes Orleans activate it on that silo.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return client.GetGrain<IWorkerGrain>(silo.ToParsableString()).Evaluate(spec, genome, mode.ToString());
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    private static async Task<IEnumerable<SiloAddress>> Hosts(IManagementGrain management, CancellationToken cancel)
    {
        try
        {
            return (await management.GetHosts(onlyActive: true).WaitAsync(cancel)).Keys.OrderBy(s => s.ToParsableString(), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Membership is unreachable for the moment (its silo just died): no worker now; the next genome runs here.
            return [];
        }
    }
}
