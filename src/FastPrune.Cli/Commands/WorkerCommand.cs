using System.CommandLine;
using System.Runtime.InteropServices;
using FastPrune.Cluster;

namespace FastPrune.Cli.Commands;

/// <summary>
/// <c>fastprune worker --cluster localhost|redis=…|adonet=…|kubernetes+… [--threads T] [--device cpu|cuda|cuda:N]</c>: a worker silo that evaluates the
/// subnets of <c>fastprune run … --cluster</c> coordinators until Ctrl-C or SIGTERM. Every default is the library's
/// (<see cref="ClusterOptions"/>).
/// </summary>
internal static class WorkerCommand
{
    public static Command Create(CliIo io)
    {
        var defaults = new ClusterOptions();
        var cluster = new Option<string>("--cluster") { Description = "the cluster to join: localhost (Orleans' development clustering on this machine), redis=<host:port>, adonet=<invariant>;<connection string>, kubernetes+redis=… or kubernetes+adonet=…", Required = true };
        var threads = CliIo.AtLeast(new Option<int>("--threads") { Description = "ONNX Runtime CPU threads of this worker (0: all cores)", DefaultValueFactory = _ => defaults.Threads },
            0, "threads are 0 (all cores) or more");
        var device = new Option<string>("--device") { Description = "where this worker reconstructs and evaluates: cpu, cuda or cuda:N (the N-th visible GPU; one worker per GPU)", DefaultValueFactory = _ => Names.Of(defaults.Device) };
        var siloPort = new Option<int>("--silo-port") { Description = "the primary silo's port on localhost, this worker's silo port otherwise (later workers on this machine take the next free ones)", DefaultValueFactory = _ => defaults.SiloPort };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "the primary silo's gateway port on localhost (which coordinators connect to), this worker's gateway port otherwise", DefaultValueFactory = _ => defaults.GatewayPort };
        var cmd = new Command("worker", "Serve subnet evaluations to 'run --cluster' coordinators until Ctrl-C or SIGTERM.") { cluster, threads, device, siloPort, gatewayPort };
        cmd.SetAction(pr => io.Guard(pr, () =>
        {
            var text = pr.GetValue(device)!;
            // cuda:N picks one GPU of the machine (one worker per GPU); the index is checked against the visible ones.
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            int? index = null;
            if (colon >= 0)
            {
                if (!int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n))
                    throw new UsageException($"--device '{text}': expected cpu, cuda or cuda:N (N a GPU index)");
                index = n;
                text = text[..colon];
            }
            if (!Names.TryParse(text, out ComputeTarget target) || target == ComputeTarget.Auto || (index is not null && target != ComputeTarget.Cuda))
                throw new UsageException($"--device '{pr.GetValue(device)}': expected cpu, cuda or cuda:N (N a GPU index)");
            var options = defaults with
            {
                Clustering = Clustering.Parse(pr.GetValue(cluster)!),
                Threads = pr.GetValue(threads),
                Device = target,
                DeviceIndex = index,
                SiloPort = pr.GetValue(siloPort),
                GatewayPort = pr.GetValue(gatewayPort),
            };
            // SIGTERM (a service manager, kill) stops the worker as Ctrl-C does: it leaves the cluster before exiting.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(io.Cancel);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                stop.Cancel();
            });
            ClusterWorker.Serve(options, new Progress<string>(m => io.Err.WriteLine($"fastprune: {m}; Ctrl-C stops it")), stop.Token)
                .GetAwaiter().GetResult();
            return ExitCodes.Ok;
        }));
        return cmd;
    }
}
