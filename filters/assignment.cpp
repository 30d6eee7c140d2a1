#include "filters/assignment.hpp"

#include <algorithm>
#include <limits>

namespace picket::filters {

double solve_assignment(int n, int m, const double* a, int* row_to_col, AssignmentScratch& s) {
    if (n == 0) return 0;
    constexpr double inf = std::numeric_limits<double>::infinity();
    // 1-based arrays, column 0 is the virtual start of each augmenting path.
    s.u.assign(static_cast<std::size_t>(n + 1), 0.0);
    s.v.assign(static_cast<std::size_t>(m + 1), 0.0);
    s.p.assign(static_cast<std::size_t>(m + 1), 0);
    s.way.assign(static_cast<std::size_t>(m + 1), 0);
    s.minv.resize(static_cast<std::size_t>(m + 1));
    s.used.resize(static_cast<std::size_t>(m + 1));
    auto& u = s.u;
    auto& v = s.v;
    auto& p = s.p;
    auto& way = s.way;
    for (int i = 1; i <= n; ++i) {
        p[0] = i;
        int j0 = 0;
        std::fill(s.minv.begin(), s.minv.end(), inf);
        std::fill(s.used.begin(), s.used.end(), 0);
        // Dijkstra-like search for the shortest augmenting path from row i on reduced costs.
        do {
            s.used[static_cast<std::size_t>(j0)] = 1;
            const int i0 = p[static_cast<std::size_t>(j0)];
            double delta = inf;
            int j1 = 0;
            for (int j = 1; j <= m; ++j) {
                if (s.used[static_cast<std::size_t>(j)]) continue;
                const double cur =
                    a[static_cast<std::size_t>(i0 - 1) * static_cast<std::size_t>(m) +
                      static_cast<std::size_t>(j - 1)] -
                    u[static_cast<std::size_t>(i0)] - v[static_cast<std::size_t>(j)];
                if (cur < s.minv[static_cast<std::size_t>(j)]) {
                    s.minv[static_cast<std::size_t>(j)] = cur;
                    way[static_cast<std::size_t>(j)] = j0;
                }
                if (s.minv[static_cast<std::size_t>(j)] < delta) {
                    delta = s.minv[static_cast<std::size_t>(j)];
                    j1 = j;
                }
            }
            for (int j = 0; j <= m; ++j) {
                if (s.used[static_cast<std::size_t>(j)]) {
                    u[static_cast<std::size_t>(p[static_cast<std::size_t>(j)])] += delta;
                    v[static_cast<std::size_t>(j)] -= delta;
                } else {
                    s.minv[static_cast<std::size_t>(j)] -= delta;
                }
            }
            j0 = j1;
        } while (p[static_cast<std::size_t>(j0)] != 0);
        // Flip the path.
        do {
            const int j1 = way[static_cast<std::size_t>(j0)];
            p[static_cast<std::size_t>(j0)] = p[static_cast<std::size_t>(j1)];
            j0 = j1;
        } while (j0 != 0);
    }
    double total = 0;
    for (int j = 1; j <= m; ++j) {
        const int r = p[static_cast<std::size_t>(j)];
        if (r != 0) {
            row_to_col[r - 1] = j - 1;
            total += a[static_cast<std::size_t>(r - 1) * static_cast<std::size_t>(m) +
                       static_cast<std::size_t>(j - 1)];
        }
    }
    return total;
}

double solve_assignment_any(int rows, int cols, const double* cost, std::vector<int>& row_to_col,
                            AssignmentScratch& s) {
    row_to_col.assign(static_cast<std::size_t>(rows), -1);
    if (rows == 0 || cols == 0) return 0;
    if (rows <= cols) return solve_assignment(rows, cols, cost, row_to_col.data(), s);
    s.transposed.resize(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            s.transposed[static_cast<std::size_t>(c) * static_cast<std::size_t>(rows) +
                         static_cast<std::size_t>(r)] =
                cost[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) +
                     static_cast<std::size_t>(c)];
    std::vector<int> col_to_row(static_cast<std::size_t>(cols), -1);
    const std::vector<double> t = s.transposed;  // solve_assignment reuses scratch vectors
    const double total = solve_assignment(cols, rows, t.data(), col_to_row.data(), s);
    for (int c = 0; c < cols; ++c)
        row_to_col[static_cast<std::size_t>(col_to_row[static_cast<std::size_t>(c)])] = c;
    return total;
}

}  // namespace picket::filters
