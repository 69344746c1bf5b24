//! A fault-injecting TCP proxy on loopback, between the console and moto: pass (optionally
//! delaying every request, or answering for one service as an endpoint without it would),
//! answer 503 or a throttling error for the next N connections, or refuse everything (down).

use std::sync::atomic::{AtomicU8, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Fault {
    Pass = 0,
    ServerError = 1,
    Throttle = 2,
    Down = 3,
}

#[derive(Clone)]
pub struct Proxy {
    pub endpoint: String,
    fault: Arc<AtomicU8>,
    remaining: Arc<AtomicU32>,
    pub faults_served: Arc<AtomicU32>,
    latency_ms: Arc<AtomicU64>,
    missing: Arc<Mutex<Option<String>>>,
    /// Requests being delayed right now.
    pub held: Arc<AtomicU32>,
}

const THROTTLE: &str = r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#;

impl Proxy {
    pub async fn start(upstream: &str) -> Self {
        let upstream = upstream.trim_start_matches("http://").to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy = Self {
            endpoint: format!("http://{}", listener.local_addr().unwrap()),
            fault: Arc::new(AtomicU8::new(Fault::Pass as u8)),
            remaining: Arc::new(AtomicU32::new(0)),
            faults_served: Arc::new(AtomicU32::new(0)),
            latency_ms: Arc::new(AtomicU64::new(0)),
            missing: Arc::new(Mutex::new(None)),
            held: Arc::new(AtomicU32::new(0)),
        };
        let p = proxy.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let p = p.clone();
                let upstream = upstream.clone();
                tokio::spawn(async move { p.serve(client, &upstream).await });
            }
        });
        proxy
    }

    /// The next `count` requests get `fault` (Down: until set back to Pass).
    pub fn inject(&self, fault: Fault, count: u32) {
        self.remaining.store(count, Ordering::SeqCst);
        self.fault.store(fault as u8, Ordering::SeqCst);
    }

    fn take_fault(&self) -> Fault {
        match self.fault.load(Ordering::SeqCst) {
            3 => Fault::Down,
            0 => Fault::Pass,
            f => {
                let left = self
                    .remaining
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
                if left.is_ok() {
                    if f == 1 {
                        Fault::ServerError
                    } else {
                        Fault::Throttle
                    }
                } else {
                    Fault::Pass
                }
            }
        }
    }

    /// Every request waits this long before it is forwarded (0: none).
    pub fn delay(&self, ms: u64) {
        self.latency_ms.store(ms, Ordering::SeqCst);
    }

    /// Requests signed for `service` (as in the `SigV4` scope, e.g. `autoscaling`) get the
    /// answer an endpoint without that service gives; `None` serves everything again.
    pub fn without_service(&self, service: Option<&str>) {
        *self.missing.lock().unwrap() = service.map(str::to_owned);
    }

    async fn serve(&self, mut client: TcpStream, upstream: &str) {
        let fault = self.take_fault();
        match fault {
            Fault::Down => {
                // The peer sees the connection close without an answer.
                drop(client);
                self.faults_served.fetch_add(1, Ordering::SeqCst);
            }
            Fault::ServerError | Fault::Throttle => {
                let mut buf = vec![0_u8; 65536];
                let _ = client.read(&mut buf).await;
                let (status, body) = if fault == Fault::Throttle {
                    ("400 Bad Request", THROTTLE)
                } else {
                    ("503 Service Unavailable", "{}")
                };
                answer(&mut client, status, body).await;
                self.faults_served.fetch_add(1, Ordering::SeqCst);
            }
            Fault::Pass => {
                if let Ok(server) = TcpStream::connect(upstream).await {
                    self.pass(client, server).await;
                }
            }
        }
    }

    /// Forwards both ways; each request from the client is first delayed and checked against
    /// the missing service (a request's headers arrive in its first read).
    async fn pass(&self, client: TcpStream, server: TcpStream) {
        let (mut from_client, mut to_client) = client.into_split();
        let (mut from_server, mut to_server) = server.into_split();
        let up = async {
            let mut buf = vec![0_u8; 65536];
            loop {
                let n = match from_client.read(&mut buf).await {
                    Ok(0) | Err(_) => return None,
                    Ok(n) => n,
                };
                let missing = self.missing.lock().unwrap().clone();
                if let Some(service) = missing.filter(|s| signed_for(&buf[..n], s)) {
                    return Some(service);
                }
                let ms = self.latency_ms.load(Ordering::SeqCst);
                if ms > 0 {
                    self.held.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                    self.held.fetch_sub(1, Ordering::SeqCst);
                }
                if to_server.write_all(&buf[..n]).await.is_err() {
                    return None;
                }
            }
        };
        let down = tokio::io::copy(&mut from_server, &mut to_client);
        let refused = tokio::select! {
            refused = up => refused,
            _ = down => None,
        };
        if let Some(service) = refused {
            let mut client = from_client.reunite(to_client).unwrap();
            // What an emulator says of a service it does not have (LocalStack's words).
            let body = format!(
                r#"{{"__type":"InternalFailure","message":"API for service '{service}' not yet implemented or pro feature"}}"#
            );
            answer(&mut client, "501 Not Implemented", &body).await;
            self.faults_served.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// The `SigV4` scope names the service: `Credential=KEY/DATE/REGION/SERVICE/aws4_request`.
fn signed_for(request: &[u8], service: &str) -> bool {
    let text = String::from_utf8_lossy(request);
    text.contains(&format!("/{service}/aws4_request"))
}

async fn answer(client: &mut TcpStream, status: &str, body: &str) {
    let resp = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = client.write_all(resp.as_bytes()).await;
}
