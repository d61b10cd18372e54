//! A TCP relay that behaves like a network link: each direction has a
//! one-way delay and, optionally, a bandwidth; bytes are counted as they
//! cross (TLS records, headers and all, as on a real wire). The upstream
//! can be switched and every open connection cut, as when a server goes
//! away.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, sleep_until};

/// How the link behaves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Shape {
    /// Delay of each direction.
    pub one_way: Duration,
    /// Client-to-server bandwidth in bytes per second; `None` for no limit.
    pub up_rate: Option<u64>,
    pub down_rate: Option<u64>,
}

/// Byte counters of the link.
#[derive(Debug, Default)]
pub struct Counters {
    pub up: AtomicU64,
    pub down: AtomicU64,
    pub connections: AtomicU64,
}

/// A running link.
pub struct Link {
    pub addr: SocketAddr,
    pub counters: Arc<Counters>,
    upstream: Arc<Mutex<SocketAddr>>,
    cut: watch::Sender<u64>,
}

impl Link {
    /// Starts a link on 127.0.0.1 to `upstream`.
    pub async fn start(upstream: SocketAddr, shape: Shape) -> Link {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind link");
        let addr = listener.local_addr().expect("link address");
        let counters = Arc::new(Counters::default());
        let upstream = Arc::new(Mutex::new(upstream));
        let (cut, _) = watch::channel(0u64);
        let link = Link {
            addr,
            counters: counters.clone(),
            upstream: upstream.clone(),
            cut: cut.clone(),
        };
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let target = *upstream.lock().expect("upstream lock");
                counters.connections.fetch_add(1, Ordering::Relaxed);
                tokio::spawn(relay(
                    client,
                    target,
                    shape,
                    counters.clone(),
                    cut.subscribe(),
                ));
            }
        });

        link
    }

    /// Sends new connections to `upstream`.
    pub fn set_upstream(&self, upstream: SocketAddr) {
        *self.upstream.lock().expect("upstream lock") = upstream;
    }

    /// Closes every connection open now.
    pub fn cut_all(&self) {
        self.cut.send_modify(|n| *n += 1);
    }

    pub fn up_bytes(&self) -> u64 {
        self.counters.up.load(Ordering::Relaxed)
    }

    pub fn down_bytes(&self) -> u64 {
        self.counters.down.load(Ordering::Relaxed)
    }
}

async fn relay(
    client: TcpStream,
    target: SocketAddr,
    shape: Shape,
    counters: Arc<Counters>,
    mut cut: watch::Receiver<u64>,
) {
    // The TCP handshake of a real link costs a round trip.
    tokio::time::sleep(shape.one_way * 2).await;
    let Ok(server) = TcpStream::connect(target).await else {
        return;
    };
    client.set_nodelay(true).ok();
    server.set_nodelay(true).ok();
    let (cr, cw) = client.into_split();
    let (sr, sw) = server.into_split();
    let up = pump(cr, sw, shape.one_way, shape.up_rate, counters.clone(), true);
    let down = pump(sr, cw, shape.one_way, shape.down_rate, counters, false);
    tokio::select! {
        _ = async { tokio::join!(up, down) } => {}
        _ = cut.changed() => {}
    }
}

/// Moves bytes one way: each read is delivered after the time it takes to
/// serialise at `rate` behind earlier bytes, plus the delay.
async fn pump(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    delay: Duration,
    rate: Option<u64>,
    counters: Arc<Counters>,
    up: bool,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let writer = async move {
        while let Some((at, bytes)) = rx.recv().await {
            sleep_until(at).await;
            if to.write_all(&bytes).await.is_err() {
                break;
            }
        }
        to.shutdown().await.ok();
    };
    let reader = async move {
        let mut link_free = Instant::now();
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match from.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let counter = if up { &counters.up } else { &counters.down };
            counter.fetch_add(n as u64, Ordering::Relaxed);
            let now = Instant::now();
            let serialise = rate
                .map(|r| Duration::from_secs_f64(n as f64 / r as f64))
                .unwrap_or_default();
            link_free = link_free.max(now) + serialise;
            if tx.send((link_free + delay, buf[..n].to_vec())).is_err() {
                break;
            }
        }
    };
    tokio::join!(reader, writer);
}
