#pragma once
/// Optimal 2-D assignment (linear sum assignment): the shortest-augmenting-path method of
/// Jonker & Volgenant ("A shortest augmenting path algorithm for dense and sparse linear
/// assignment problems", Computing 38, 1987) with dual potentials, O(n^2 m) worst case.
/// Used by GNN association on each gated cluster and by OSPA/GOSPA in eval/.
#include <vector>

namespace picket::filters {

/// Costs at or above this are "forbidden": the solver treats them as ordinary large numbers, so
/// callers add a dummy column per row (a "no assignment" option) to keep problems feasible.
inline constexpr double kForbiddenCost = 1e12;

/// Reusable work space so that repeated solves do not allocate.
struct AssignmentScratch {
    std::vector<double> u, v, minv;
    std::vector<int> p, way;
    std::vector<char> used;
    std::vector<double> transposed;
};

/// Minimises sum cost[r * cols + row_to_col[r]] over assignments of every row to a distinct
/// column. Requires rows <= cols (transpose otherwise; see `solve_assignment_any`).
/// Returns the total cost.
double solve_assignment(int rows, int cols, const double* cost, int* row_to_col,
                        AssignmentScratch& scratch);

/// Any shape: rows > cols is handled by transposing; rows left unassigned get -1.
double solve_assignment_any(int rows, int cols, const double* cost, std::vector<int>& row_to_col,
                            AssignmentScratch& scratch);

}  // namespace picket::filters
