//! A `TestBackend` that reports every finished frame (when, and its text) to the test.

use std::time::Instant;

use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use tokio::sync::mpsc::UnboundedSender;

pub struct Screen {
    inner: TestBackend,
    frames: UnboundedSender<(Instant, String)>,
}

impl Screen {
    pub fn new(width: u16, height: u16, frames: UnboundedSender<(Instant, String)>) -> Self {
        Self {
            inner: TestBackend::new(width, height),
            frames,
        }
    }
}

type R<T> = Result<T, <TestBackend as Backend>::Error>;

impl Backend for Screen {
    type Error = <TestBackend as Backend>::Error;

    fn draw<'a, I>(&mut self, content: I) -> R<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> R<()> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> R<()> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> R<Position> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> R<()> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> R<()> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> R<()> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> R<Size> {
        self.inner.size()
    }
    fn window_size(&mut self) -> R<WindowSize> {
        self.inner.window_size()
    }
    /// The end of a frame: its text goes to the test.
    fn flush(&mut self) -> R<()> {
        self.inner.flush()?;
        let buf = self.inner.buffer();
        let text: String = buf
            .content
            .chunks(usize::from(buf.area.width.max(1)))
            .map(|row| row.iter().map(Cell::symbol).collect::<String>() + "\n")
            .collect();
        let _ = self.frames.send((Instant::now(), text));
        Ok(())
    }
}
