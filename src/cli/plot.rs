//! `gradtrace plot surface|loss|schedule FILE|-`: the pictures of `POST /v1/plot/...` with no
//! server, through the same use case (`usecase::picture`), so the SVG is byte for byte the
//! endpoint's. Exit status as `compare`'s.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::class::read_body;
use super::{init_tracing, rejected, write_stdout};
use crate::config::Limits;
use crate::usecase::picture::{loss_body, schedule_body, surface_body, SurfaceView};

#[derive(Debug, Args)]
pub(super) struct PlotArgs {
    #[command(subcommand)]
    picture: Picture,
}

#[derive(Debug, Subcommand)]
enum Picture {
    /// The loss surface with each optimizer's path (POST /v1/plot/surface).
    Surface(SurfaceArgs),
    /// The loss per update and per epoch (POST /v1/plot/loss).
    Loss(BodyArgs),
    /// A schedule's learning rate per epoch (POST /v1/plot/schedule).
    Schedule(BodyArgs),
}

#[derive(Debug, Args)]
struct BodyArgs {
    /// The body of the endpoint (a /v1/solve or /v1/compare body; for `schedule`, a
    /// /v1/schedule body): a file, or `-` for stdin.
    file: PathBuf,
    /// The same limits as `serve`, so a request the service refuses is refused here too.
    #[command(flatten)]
    limits: Limits,
}

#[derive(Debug, Args)]
struct SurfaceArgs {
    #[command(flatten)]
    body: BodyArgs,
    /// The parameter along the x axis, from 0 over the weights then the bias, as `?x=`.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=1000))]
    x: Option<u32>,
    /// The parameter along the y axis, as `?y=`.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=1000))]
    y: Option<u32>,
    /// Grid points per side, as `?resolution=`.
    #[arg(long, value_parser = clap::value_parser!(u32).range(5..=100_000))]
    resolution: Option<u32>,
}

pub(super) fn plot(args: &PlotArgs) -> ExitCode {
    init_tracing("warn");
    let (file, limits) = match &args.picture {
        Picture::Surface(a) => (&a.body.file, &a.body.limits),
        Picture::Loss(a) | Picture::Schedule(a) => (&a.file, &a.limits),
    };
    let body = match read_body(file) {
        Ok(body) => body,
        Err(code) => return code,
    };
    let svg = body.and_then(|body| match &args.picture {
        Picture::Surface(a) => {
            let view = SurfaceView {
                x: a.x,
                y: a.y,
                resolution: a.resolution,
            };
            surface_body(&body, view, limits)
        }
        Picture::Loss(_) => loss_body(&body, limits),
        Picture::Schedule(_) => schedule_body(&body, limits),
    });
    match svg {
        Ok(svg) => write_stdout(svg.as_bytes()),
        Err(error) => rejected(&error, false),
    }
}
