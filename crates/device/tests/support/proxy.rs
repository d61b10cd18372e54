//! A fault-injecting HTTPS proxy between a phone and the server.
//!
//! It ends the phone's TLS with its own self-signed certificate (the
//! phone pins it), reads each HTTP/1.1 request whole, and asks a fault
//! plan what to do with it: pass it on, reset the connection before or
//! after the server handled it, cut the answer short, delay it, or send
//! it to the server twice. Each forwarded request goes to the server on a
//! fresh TLS connection. Counters tell what reached the server.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fieldledger_device::sync::tls::{self, Fingerprint, Trust};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::{TlsAcceptor, TlsConnector};

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Pass,
    /// Close the phone's connection; the server never sees the request.
    ResetBefore,
    /// The server handles the request; the phone's connection closes
    /// before any answer.
    ResetAfter,
    /// The server handles the request; the phone gets half the answer.
    CutResponse,
    /// Wait this long, then pass.
    Delay(Duration),
    /// The server gets the request twice, on two connections.
    Duplicate,
}

/// A request as the fault plan sees it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    /// Requests seen before this one.
    pub index: u64,
}

type Plan = Box<dyn FnMut(&Seen) -> Fault + Send>;

/// What the proxy counted.
#[derive(Debug, Default)]
pub struct Stats {
    pub requests: AtomicU64,
    /// Requests that reached the server (twice for a duplicate).
    pub forwarded: AtomicU64,
    /// Body bytes of photo chunks that reached the server.
    pub photo_bytes: AtomicU64,
    /// Body bytes of pushes that reached the server.
    pub push_bytes: AtomicU64,
    pub faults: AtomicU64,
    /// Pushes between arrival and answer at this moment.
    pub pushes_in_flight: AtomicU64,
    /// The most pushes ever in flight at once.
    pub most_pushes_in_flight: AtomicU64,
}

struct Shared {
    upstream: Mutex<SocketAddr>,
    connector: TlsConnector,
    plan: Mutex<Plan>,
    stats: Stats,
}

/// A running proxy.
pub struct FaultProxy {
    pub addr: SocketAddr,
    /// Fingerprint of the proxy's own certificate, for the phone to pin.
    pub fingerprint: Fingerprint,
    shared: Arc<Shared>,
}

impl FaultProxy {
    /// Starts a proxy to the server at `upstream`, which it trusts by `trust`.
    pub async fn start(upstream: SocketAddr, trust: &Trust) -> FaultProxy {
        let (acceptor, fingerprint) = acceptor();
        let connector =
            TlsConnector::from(Arc::new(tls::client_config(trust).expect("upstream tls")));
        let shared = Arc::new(Shared {
            upstream: Mutex::new(upstream),
            connector,
            plan: Mutex::new(Box::new(|_| Fault::Pass)),
            stats: Stats::default(),
        });
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy address");
        let for_loop = shared.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, shared) = (acceptor.clone(), for_loop.clone());
                tokio::spawn(async move {
                    if let Ok(stream) = acceptor.accept(tcp).await {
                        serve(stream, shared).await;
                    }
                });
            }
        });

        FaultProxy {
            addr,
            fingerprint,
            shared,
        }
    }

    /// The address a phone uses.
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.addr.port())
    }

    /// Replaces the fault plan.
    pub fn set_plan(&self, plan: impl FnMut(&Seen) -> Fault + Send + 'static) {
        *self.shared.plan.lock().expect("plan lock") = Box::new(plan);
    }

    pub fn set_upstream(&self, upstream: SocketAddr) {
        *self.shared.upstream.lock().expect("upstream lock") = upstream;
    }

    pub fn stats(&self) -> &Stats {
        &self.shared.stats
    }
}

fn acceptor() -> (TlsAcceptor, Fingerprint) {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()])
        .expect("proxy cert");
    let der: CertificateDer<'static> = cert.cert.der().clone();
    let fingerprint = Fingerprint::of(der.as_ref());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.signing_key.serialize_der()));
    let mut config = rustls::ServerConfig::builder_with_provider(tls::provider())
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![der], key)
        .expect("proxy server config");
    config.alpn_protocols = vec![b"http/1.1".to_vec()];

    (TlsAcceptor::from(Arc::new(config)), fingerprint)
}

async fn serve<S: AsyncRead + AsyncWrite + Unpin>(mut phone: S, shared: Arc<Shared>) {
    let mut buf = Vec::new();
    while let Some(request) = read_message(&mut phone, &mut buf, false).await {
        let seen = seen(
            &request,
            shared.stats.requests.fetch_add(1, Ordering::Relaxed),
        );
        let fault = (shared.plan.lock().expect("plan lock"))(&seen);
        if fault != Fault::Pass {
            shared.stats.faults.fetch_add(1, Ordering::Relaxed);
        }
        let _push = seen
            .path
            .starts_with("/v1/sync/push")
            .then(|| PushInFlight::new(&shared.stats));
        let answer = match fault {
            Fault::ResetBefore => return,
            Fault::Delay(d) => {
                tokio::time::sleep(d).await;
                forward(&shared, &seen, &request).await
            }
            Fault::Duplicate => {
                forward(&shared, &seen, &request).await;
                forward(&shared, &seen, &request).await
            }
            _ => forward(&shared, &seen, &request).await,
        };
        let Some(answer) = answer else { return };
        match fault {
            Fault::ResetAfter => return,
            Fault::CutResponse => {
                phone.write_all(&answer[..answer.len() / 2]).await.ok();
                return;
            }
            _ => {
                if phone.write_all(&answer).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Counts a push as in flight until dropped.
struct PushInFlight<'a>(&'a Stats);

impl<'a> PushInFlight<'a> {
    fn new(stats: &'a Stats) -> Self {
        let now = stats.pushes_in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        stats.most_pushes_in_flight.fetch_max(now, Ordering::SeqCst);
        PushInFlight(stats)
    }
}

impl Drop for PushInFlight<'_> {
    fn drop(&mut self) {
        self.0.pushes_in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn seen(request: &[u8], index: u64) -> Seen {
    let line = request.split(|b| *b == b'\r').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let mut parts = line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();

    Seen {
        method,
        path,
        index,
    }
}

/// Sends one request to the server on a new connection; its whole answer.
async fn forward(shared: &Shared, seen: &Seen, request: &[u8]) -> Option<Vec<u8>> {
    let addr = *shared.upstream.lock().expect("upstream lock");
    let tcp = TcpStream::connect(addr).await.ok()?;
    let name = ServerName::try_from("localhost").expect("server name");
    let mut server = shared.connector.connect(name, tcp).await.ok()?;
    server.write_all(request).await.ok()?;
    shared.stats.forwarded.fetch_add(1, Ordering::Relaxed);
    let body = (request.len() - head_len(request)?) as u64;
    if seen.path.starts_with("/v1/photos") && seen.method == "PUT" {
        shared.stats.photo_bytes.fetch_add(body, Ordering::Relaxed);
    }
    if seen.path.starts_with("/v1/sync/push") {
        shared.stats.push_bytes.fetch_add(body, Ordering::Relaxed);
    }
    let mut buf = Vec::new();

    read_message(&mut server, &mut buf, true).await
}

fn head_len(message: &[u8]) -> Option<usize> {
    message
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4)
}

/// Reads one HTTP/1.1 message (head and body, by `Content-Length` or
/// chunked); `buf` keeps bytes read beyond it. `None` at end of stream.
async fn read_message<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut Vec<u8>,
    response: bool,
) -> Option<Vec<u8>> {
    let head = loop {
        if let Some(n) = head_len(buf) {
            break n;
        }
        fill(stream, buf).await?;
    };
    let text = String::from_utf8_lossy(&buf[..head]).to_ascii_lowercase();
    let header = |name: &str| {
        text.lines().find_map(|l| {
            l.strip_prefix(name)
                .map(|v| v.trim_start_matches(':').trim().to_owned())
        })
    };
    let end = if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        chunked_end(stream, buf, head).await?
    } else {
        let len: usize = header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if response
            && len == 0
            && header("content-length").is_none()
            && !text.starts_with("http/1.1 204")
        {
            while fill(stream, buf).await.is_some() {}
            buf.len()
        } else {
            while buf.len() < head + len {
                fill(stream, buf).await?;
            }
            head + len
        }
    };

    Some(buf.drain(..end).collect())
}

async fn chunked_end<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut Vec<u8>,
    mut at: usize,
) -> Option<usize> {
    loop {
        let line_end = loop {
            if let Some(p) = buf[at..].windows(2).position(|w| w == b"\r\n") {
                break at + p;
            }
            fill(stream, buf).await?;
        };
        let size_text = String::from_utf8_lossy(&buf[at..line_end]).to_string();
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        at = line_end + 2;
        if size == 0 {
            // Trailers, then the blank line.
            loop {
                if let Some(p) = buf[at..].windows(2).position(|w| w == b"\r\n") {
                    if p == 0 {
                        return Some(at + 2);
                    }
                    at += p + 2;
                    continue;
                }
                fill(stream, buf).await?;
            }
        }
        while buf.len() < at + size + 2 {
            fill(stream, buf).await?;
        }
        at += size + 2;
    }
}

async fn fill<S: AsyncRead + Unpin>(stream: &mut S, buf: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 16 * 1024];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => None,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            Some(())
        }
    }
}
