using FastPrune.Pipeline;
using Orleans.Runtime;

namespace FastPrune.Cluster;

/// <summary>
/// Evaluates genomes on the silo it lives on. Not reentrant: a silo runs one evaluation at a time, with the threads
/// its worker was started with, so that a worker is a device (a GPU, or a group of cores) the coordinator keeps busy.
/// </summary>
internal sealed class WorkerGrain(IWorkerSessions sessions, ILocalSiloDetails silo) : Grain, IWorkerGrain
{
    /// <inheritdoc />
    public async Task<WorkerReply> Evaluate(string spec, int[] genome, string mode)
    {
        string here = silo.SiloAddress.ToParsableString();
        if (this.GetPrimaryKeyString() != here)
        {
            // Orleans may ignore the placement hint (a silo's view of membership lags): a worker evaluating beside
            // another would share its device. This activation goes away and the coordinator re-dispatches the genome.
            DeactivateOnIdle();
            return new WorkerReply(0, 0, 0, 0, 0, 0, 0, 0, here, Misplaced: true);
        }
        // The evaluation is long and synchronous: off the grain's turn onto the thread pool, so the silo keeps
        // answering membership probes and other messages while it works.
        return await Task.Run(() =>
        {
            try
            {
                var calibrated = sessions.For(spec, CancellationToken.None);
                var r = calibrated.Evaluate(genome, Enum.Parse<ReconMode>(mode));
                return new WorkerReply(r.Macs, r.Params, r.Accuracy, r.Times.Surgery, r.Times.Recon, r.Times.Session, r.Times.Infer,
                    r.Escalations, here);
            }
            catch (Exception e) when (Failures.Classify(e) is { } kind)
            {
                // The caller's failure (a model, data or numeric problem) is the run's to report, the same on every
                // worker; it travels as its kind and message rather than as an exception type the client may not know.
                return new WorkerReply(0, 0, 0, 0, 0, 0, 0, 0, here, (int)kind, e.Message);
            }
        });
    }
}
