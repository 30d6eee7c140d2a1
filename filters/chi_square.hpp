#pragma once
/// Chi-square distribution for Mahalanobis gates (degrees of freedom 1 to 4: every measurement
/// picket fuses has at most four components).
namespace picket::filters {

/// P(X <= x) for X ~ chi-square with `dof` in [1, 4] degrees of freedom.
double chi_square_cdf(double x, int dof);
/// The gate threshold g with P(X <= g) = p (p in (0, 1)), by bisection on the CDF.
double chi_square_quantile(double p, int dof);

}  // namespace picket::filters
