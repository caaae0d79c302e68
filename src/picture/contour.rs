//! Isolines by marching squares over a grid of loss values, joined into polylines. Every
//! crossing of a level lies on a grid edge; an edge inside the grid belongs to two cells, so a
//! line that does not close can only end on an edge of the frame. Non-finite values were
//! clipped by the caller, so no line stops in the middle of the picture.

/// Values on a regular grid: `z[j * nx + i]` at column `i`, row `j`.
pub struct Grid<'a> {
    pub nx: usize,
    pub ny: usize,
    pub z: &'a [f64],
}

/// One isoline in grid coordinates (column, row as fractions); `closed` when it comes back to
/// its first point.
#[derive(Debug, Clone, PartialEq)]
pub struct Isoline {
    pub points: Vec<(f64, f64)>,
    pub closed: bool,
}

impl Grid<'_> {
    fn at(&self, i: usize, j: usize) -> f64 {
        self.z[j * self.nx + i]
    }

    /// The id of the horizontal edge from (i, j) to (i + 1, j).
    fn horizontal(&self, i: usize, j: usize) -> usize {
        j * (self.nx - 1) + i
    }

    /// The id of the vertical edge from (i, j) to (i, j + 1).
    fn vertical(&self, i: usize, j: usize) -> usize {
        self.ny * (self.nx - 1) + j * self.nx + i
    }

    fn edge_count(&self) -> usize {
        self.ny * (self.nx - 1) + (self.ny - 1) * self.nx
    }

    /// Where `level` crosses edge `edge`, in grid coordinates.
    fn crossing(&self, edge: usize, level: f64) -> (f64, f64) {
        let split = self.ny * (self.nx - 1);
        let (a, b, i, j, across) = if edge < split {
            let (j, i) = (edge / (self.nx - 1), edge % (self.nx - 1));
            (self.at(i, j), self.at(i + 1, j), i, j, true)
        } else {
            let e = edge - split;
            let (j, i) = (e / self.nx, e % self.nx);
            (self.at(i, j), self.at(i, j + 1), i, j, false)
        };
        let t = if b == a {
            0.5
        } else {
            ((level - a) / (b - a)).clamp(0.0, 1.0)
        };
        if across {
            (i as f64 + t, j as f64)
        } else {
            (i as f64, j as f64 + t)
        }
    }

    /// The segments of one cell, as pairs of edge ids.
    fn cell_segments(&self, i: usize, j: usize, level: f64, out: &mut Vec<(usize, usize)>) {
        let corners = [
            self.at(i, j),
            self.at(i + 1, j),
            self.at(i + 1, j + 1),
            self.at(i, j + 1),
        ];
        let above = corners.map(|z| z >= level);
        // The cell's edges, between corners 0-1, 1-2, 2-3, 3-0.
        let edges = [
            self.horizontal(i, j),
            self.vertical(i + 1, j),
            self.horizontal(i, j + 1),
            self.vertical(i, j),
        ];
        let crossed: Vec<usize> = (0..4).filter(|&k| above[k] != above[(k + 1) % 4]).collect();
        match crossed.as_slice() {
            [a, b] => out.push((edges[*a], edges[*b])),
            [_, _, _, _] => {
                // A saddle: the cell's mean says whether the above corners join across it.
                let centre_above = corners.iter().sum::<f64>() / 4.0 >= level;
                if centre_above == above[0] {
                    out.push((edges[0], edges[1]));
                    out.push((edges[2], edges[3]));
                } else {
                    out.push((edges[3], edges[0]));
                    out.push((edges[1], edges[2]));
                }
            }
            _ => {}
        }
    }

    /// The isolines of `level`, in a fixed order (by their first edge).
    pub fn isolines(&self, level: f64) -> Vec<Isoline> {
        if self.nx < 2 || self.ny < 2 || self.z.len() != self.nx * self.ny {
            return Vec::new();
        }
        let mut segments = Vec::new();
        for j in 0..self.ny - 1 {
            for i in 0..self.nx - 1 {
                self.cell_segments(i, j, level, &mut segments);
            }
        }
        // At most two segments meet at an edge: the two cells it borders.
        let mut ends: Vec<[Option<usize>; 2]> = vec![[None, None]; self.edge_count()];
        for (s, &(a, b)) in segments.iter().enumerate() {
            for edge in [a, b] {
                let slot = &mut ends[edge];
                if slot[0].is_none() {
                    slot[0] = Some(s);
                } else {
                    slot[1] = Some(s);
                }
            }
        }
        let mut used = vec![false; segments.len()];
        let mut lines = Vec::new();
        // Open lines first, from their free ends (on the frame), then the closed ones.
        let free: Vec<usize> = (0..ends.len())
            .filter(|&e| ends[e][0].is_some() && ends[e][1].is_none())
            .collect();
        let starts = free
            .into_iter()
            .chain(segments.iter().map(|s| s.0).collect::<Vec<_>>());
        for start in starts {
            let Some(edges) = self.walk(start, &segments, &ends, &mut used) else {
                continue;
            };
            let closed = edges.len() > 2 && edges.first() == edges.last();
            let points = edges.iter().map(|&e| self.crossing(e, level)).collect();
            lines.push(Isoline { points, closed });
        }
        lines
    }

    /// Follow unused segments from `start`; the edges visited, or `None` if nothing is left.
    fn walk(
        &self,
        start: usize,
        segments: &[(usize, usize)],
        ends: &[[Option<usize>; 2]],
        used: &mut [bool],
    ) -> Option<Vec<usize>> {
        let mut edges = vec![start];
        let mut at = start;
        while let Some(s) = ends[at].iter().flatten().copied().find(|&s| !used[s]) {
            used[s] = true;
            let (a, b) = segments[s];
            at = if a == at { b } else { a };
            edges.push(at);
        }
        (edges.len() > 1).then_some(edges)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bowl(n: usize) -> Vec<f64> {
        let c = (n - 1) as f64 / 2.0;
        (0..n * n)
            .map(|k| {
                let (i, j) = ((k % n) as f64, (k / n) as f64);
                (i - c).powi(2) + (j - c).powi(2)
            })
            .collect()
    }

    #[test]
    fn a_bowl_has_one_closed_ring_per_level_inside_it() {
        let z = bowl(21);
        let grid = Grid {
            nx: 21,
            ny: 21,
            z: &z,
        };
        let lines = grid.isolines(25.0);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].closed);
        for (x, y) in &lines[0].points {
            let r = ((x - 10.0).powi(2) + (y - 10.0).powi(2)).sqrt();
            assert!((r - 5.0).abs() < 0.2, "{r}");
        }
    }

    #[test]
    fn a_level_cut_by_the_frame_ends_on_it() {
        let z = bowl(21);
        let grid = Grid {
            nx: 21,
            ny: 21,
            z: &z,
        };
        for line in grid.isolines(150.0) {
            assert!(!line.closed);
            for (x, y) in [line.points[0], line.points[line.points.len() - 1]] {
                assert!(x == 0.0 || y == 0.0 || x == 20.0 || y == 20.0, "({x}, {y})");
            }
        }
    }

    #[test]
    fn a_grid_of_the_wrong_size_has_no_lines() {
        let z = [1.0, 2.0, 3.0];
        assert!(Grid {
            nx: 2,
            ny: 2,
            z: &z
        }
        .isolines(1.5)
        .is_empty());
        assert!(Grid {
            nx: 1,
            ny: 3,
            z: &z
        }
        .isolines(1.5)
        .is_empty());
    }

    #[test]
    fn a_saddle_gives_two_lines_that_do_not_cross() {
        let z = [1.0, 0.0, 0.0, 1.0];
        let grid = Grid {
            nx: 2,
            ny: 2,
            z: &z,
        };
        assert_eq!(grid.isolines(0.5).len(), 2);
    }
}
