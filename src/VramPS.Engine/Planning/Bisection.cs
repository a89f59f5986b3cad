using System;

namespace VramPS.Engine.Planning
{
    /// <summary>Searches over a monotone yes/no question on integers, asking as few times as it can.</summary>
    internal static class Bisection
    {
        /// <summary>
        /// The largest n in [known, limit] for which fits(n) holds, given that fits(known) holds and that once it
        /// fails it keeps failing: doubles until it fails, then bisects.
        /// </summary>
        public static int Largest(int known, int limit, Func<int, bool> fits)
        {
            int yes = known, no = known;
            while (yes < limit)
            {
                no = (int)Math.Min(limit, 2L * yes);
                if (!fits(no)) break;
                yes = no;
            }
            if (yes == no) return yes;
            while (no - yes > 1)
            {
                int mid = yes + (no - yes) / 2;
                if (fits(mid)) yes = mid; else no = mid;
            }
            return yes;
        }
    }
}
