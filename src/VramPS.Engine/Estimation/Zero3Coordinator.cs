using System;
using System.Collections.Generic;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// DeepSpeed ZeRO-3's parameter coordinator over the top of the model's module trace: which 16-bit parameters are
    /// gathered while the head runs (forward end, backward start) and while the top block runs again and back (the
    /// top block's backward). deepspeedai/DeepSpeed@18179807f (v0.13.2) deepspeed/runtime/zero/partitioned_param_coordinator.py:
    /// fetch_sub_module gathers the module's parameters, then pops them off the recorded parameter trace and prefetches
    /// the next parameters not available until it has asked for prefetch_bucket_sz elements (whole parameters, so at
    /// least one), at most max_live_parameters less those available; release_sub_module partitions a module's parameters
    /// unless __params_to_release finds the module again among the trace's next modules before max_reuse_distance
    /// elements of parameters have been walked, or the prefetch has already walked past its next use. Each linear of a
    /// block is a module of its own (norms and adapters under stage3_param_persistence_threshold stay whole and are
    /// counted with the stored weights).
    /// </summary>
    internal static class Zero3Coordinator
    {
        /// <summary>Elements gathered at the worst moment around the head and around the top block's backward.</summary>
        public readonly struct Gathered
        {
            public Gathered(double atHead, double atTopBlock)
            {
                AtHead = atHead;
                AtTopBlock = atTopBlock;
            }

            public double AtHead { get; }
            public double AtTopBlock { get; }
        }

        /// <summary>
        /// Replays the coordinator over the top <paramref name="blocks"/> blocks of the stage (each of the linears in
        /// <paramref name="block"/>, elements in forward order), the head, and the backward, where under checkpointing each
        /// block runs its forward again before its own backward. It starts with nothing gathered at the lowest of those
        /// blocks; a block further below than the reuse distance is released before the top is reached.
        /// </summary>
        public static Gathered Replay(IReadOnlyList<double> block, int blocks, double head, bool recompute, double reuseDistance, double maxLive, double prefetchBucket)
        {
            int k = block.Count;
            int headId = blocks * k;
            var size = new double[headId + 1];
            for (int b = 0; b < blocks; b++)
                for (int i = 0; i < k; i++) size[b * k + i] = block[i];
            size[headId] = head;
            var trace = new List<int>((recompute ? 3 : 2) * headId + 2);
            for (int b = 0; b < blocks; b++)
                for (int i = 0; i < k; i++) trace.Add(b * k + i);
            trace.Add(headId);
            trace.Add(headId);
            int topStart = trace.Count, topEnd = 0;
            for (int b = blocks - 1; b >= 0; b--)
            {
                if (recompute) for (int i = 0; i < k; i++) trace.Add(b * k + i);
                for (int i = k - 1; i >= 0; i--) trace.Add(b * k + i);
                if (b == blocks - 1) topEnd = trace.Count;
            }

            // Each position's next use of its module, and the elements of the trace before each position.
            var nextUse = new int[trace.Count];
            var lastSeen = new int[size.Length];
            for (int m = 0; m < lastSeen.Length; m++) lastSeen[m] = trace.Count;
            for (int j = trace.Count - 1; j >= 0; j--)
            {
                nextUse[j] = lastSeen[trace[j]];
                lastSeen[trace[j]] = j;
            }
            var before = new double[trace.Count + 1];
            for (int j = 0; j < trace.Count; j++) before[j + 1] = before[j] + size[trace[j]];

            var available = new bool[size.Length];
            double gathered = 0, atHead = 0, atTop = 0;
            int queue = 0;
            for (int p = 0; p < topEnd; p++)
            {
                int module = trace[p];
                if (!available[module])
                {
                    available[module] = true;
                    gathered += size[module];
                }
                queue = Math.Max(queue, p + 1);
                double limit = Math.Min(maxLive - gathered, prefetchBucket);
                double prefetching = 0;
                while (queue < trace.Count && prefetching < limit)
                {
                    int next = trace[queue++];
                    if (available[next]) continue;
                    available[next] = true;
                    gathered += size[next];
                    prefetching += size[next];
                }
                if (module == headId) atHead = Math.Max(atHead, gathered);
                if (p >= topStart) atTop = Math.Max(atTop, gathered);
                // Kept where the prefetch has walked past the module's next use, or where the walk over the modules
                // before that use stays under the reuse distance.
                int reuse = nextUse[p];
                bool kept = reuse < trace.Count && (reuse < queue || before[reuse] - before[p + 1] < reuseDistance);
                if (!kept)
                {
                    available[module] = false;
                    gathered -= size[module];
                }
            }
            return new Gathered(atHead, atTop);
        }
    }
}
