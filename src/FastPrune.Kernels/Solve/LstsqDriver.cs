namespace FastPrune.Kernels;

/// <summary>
/// The device-independent part of <see cref="IReconEngine.SolveBatch"/>: validation, dead columns, ridge λ,
/// escalation of failing systems, and expanding W back to the kept inputs.
/// </summary>
internal static class LstsqDriver
{
    internal static IReadOnlyList<LstsqResult> Solve(ICholeskyBackend backend, IReadOnlyList<LstsqProblem> problems, LstsqOptions? options)
    {
        ArgumentNullException.ThrowIfNull(problems);
        options ??= new LstsqOptions();
        options.Validate();
        var pending = new List<SolveJob>(problems.Count);
        var dead = new int[problems.Count][];
        var meanDiag = new double[problems.Count];
        for (int p = 0; p < problems.Count; p++)
        {
            var problem = problems[p] ?? throw new ArgumentNullException(nameof(problems), $"Problem {p} is null.");
            if (!problem.Source.IsFinite)
                throw new LstsqException(p, problem.Label, "the Gram or cross matrix contains NaN or Inf.");
            // A zero Gram diagonal means the input never fired: its weights are zero and it leaves the system,
            // which would otherwise be singular at any α once λ is tiny.
            var live = new List<int>(problem.Size);
            var deadHere = new List<int>();
            double sum = 0;
            var g = problem.Source.Gram;
            int size = problem.Source.Size;
            for (int i = 0; i < problem.Size; i++)
            {
                int col = problem.KeptIn[i];
                double d = g[col * size + col];
                if (d > 0) { live.Add(col); sum += d; }
                else deadHere.Add(i);
            }
            dead[p] = deadHere.ToArray();
            meanDiag[p] = live.Count > 0 ? sum / live.Count : 0;
            if (live.Count > 0)
                pending.Add(new SolveJob(p, problem.Source, live.ToArray(), problem.KeptOut, options.Alpha * meanDiag[p]));
        }

        var done = new SolveJob?[problems.Count];
        var escalations = new int[problems.Count];
        for (int attempt = 0; pending.Count > 0; attempt++)
        {
            backend.Solve(pending);
            var retry = new List<SolveJob>();
            foreach (var job in pending)
            {
                if (job.Succeeded) { done[job.Index] = job; continue; }
                if (attempt >= options.MaxEscalations)
                    throw new LstsqException(job.Index, problems[job.Index].Label,
                        $"not positive definite after {attempt} ridge escalations (λ = {job.Lambda:G3}).");
                escalations[job.Index] = attempt + 1;
                double alpha = Math.Max(options.Alpha, 1e-7) * Math.Pow(10, attempt + 1);
                retry.Add(new SolveJob(job.Index, job.Source, job.Live, job.Out, alpha * meanDiag[job.Index]));
            }
            // Failing systems are retried on their own, so a bad layer never changes another layer's λ.
            pending = retry;
        }

        var results = new LstsqResult[problems.Count];
        for (int p = 0; p < problems.Count; p++)
        {
            var problem = problems[p];
            int n = problem.Size, m = problem.Rhs;
            var w = new float[(long)n * m];
            var job = done[p];
            double lambda = job?.Lambda ?? 0;
            if (job is not null)
            {
                // Expand rows of live columns back into position; dead rows stay zero.
                int live = 0, d = 0;
                for (int i = 0; i < n; i++)
                {
                    if (d < dead[p].Length && dead[p][d] == i) { d++; continue; }
                    Array.Copy(job.Weights, (long)live * m, w, (long)i * m, m);
                    live++;
                }
            }
            double alphaUsed = meanDiag[p] > 0 ? lambda / meanDiag[p] : options.Alpha;
            results[p] = new LstsqResult(problem.Label, n, m, w, lambda, alphaUsed, escalations[p], dead[p]);
        }
        return results;
    }
}
