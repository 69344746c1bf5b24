//! Starts the pinned moto server (installed by scripts/test.sh into .navoy/venv) and stops it on drop.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use navoy_console::aws::{AwsContext, AwsSettings};

/// moto, with ECS tasks held at whatever status they are given (by default moto advances
/// a task one status per describe call, which would stop every task during a test), and
/// with the emulator's speed fixes (`scripts/emulator/moto_perf.py`), as the local stack runs it.
/// Tests run its ECS serialiser in `verify` mode: every answer is checked against moto's own.
/// Requests are not logged (as `moto_server.py`; about 5 % of moto's time at scale) unless
/// `NAVOY_MOTO_LOG_REQUESTS=1`; errors always are.
const LAUNCHER: &str = r#"
import logging, os, sys
if os.environ.get("NAVOY_MOTO_LOG_REQUESTS") != "1":
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
sys.path.insert(0, sys.argv[2])
import moto_perf
moto_perf.apply()
from moto.moto_api import state_manager
state_manager.set_transition(model_name="ecs::task", transition={"progression": "manual", "times": 10**9})
from moto.server import main
main(["-H", "127.0.0.1", "-p", sys.argv[1]])
"#;

const EMULATOR_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/emulator");

pub struct Moto {
    child: Child,
    pub endpoint: String,
}

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("NAVOY_TEST_PYTHON") {
        return PathBuf::from(p);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".navoy/venv/bin/python")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Moto {
    /// Starts moto and waits until it accepts connections.
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts moto with extra environment (moto reads some behaviour from it).
    pub fn start_with(env: &[(&str, &str)]) -> Self {
        let python = python();
        assert!(
            python.exists(),
            "moto is not installed at {}: run scripts/test.sh, which installs the pinned moto",
            python.display()
        );
        let port = free_port();
        let log = std::env::temp_dir().join(format!("navoy-moto-{port}.log"));
        let child = Command::new(&python)
            .args(["-c", LAUNCHER, &port.to_string(), EMULATOR_DIR])
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .env("NAVOY_MOTO_SERIALIZER", "verify")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).map_or_else(|_| Stdio::null(), Stdio::from))
            .spawn()
            .expect("start moto");
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto did not start; see {}",
                log.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        }
    }

    pub fn settings(&self) -> AwsSettings {
        AwsSettings {
            endpoint_url: Some(self.endpoint.clone()),
            local: true,
            ..AwsSettings::default()
        }
    }

    pub async fn context(&self) -> AwsContext {
        AwsContext::connect(&self.settings()).await.unwrap()
    }

    /// The server's process id (the refresh bench reads its CPU time).
    #[allow(dead_code)] // used by the bench, not by every test binary that includes this file
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
