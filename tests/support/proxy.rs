//! A fault-injecting TCP proxy on loopback, between the console and moto: pass,
//! answer 503 or a throttling error for the next N requests, or refuse everything (down).

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU32, Ordering};

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
                let resp = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = client.write_all(resp.as_bytes()).await;
                self.faults_served.fetch_add(1, Ordering::SeqCst);
            }
            Fault::Pass => {
                if let Ok(mut server) = TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            }
        }
    }
}
