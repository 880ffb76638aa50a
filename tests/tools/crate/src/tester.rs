// The interactive judge: "N" to the solution, then "? i" -> a_i (at most N queries), then "! x".
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

pub fn run(input: &str, cmd: &[String]) {
    let a = crate::common::parse_input(input);
    let mut child: Child = match Command::new(&cmd[0]).args(&cmd[1..]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("failed to execute {}: {}", cmd[0], e);
            std::process::exit(1);
        }
    };
    let mut to = child.stdin.take().unwrap();
    let mut from = BufReader::new(child.stdout.take().unwrap());
    let result = (|| -> Result<i64, String> {
        writeln!(to, "{}", a.len()).map_err(|e| e.to_string())?;
        to.flush().map_err(|e| e.to_string())?;
        let mut queries = 0;
        loop {
            let mut line = String::new();
            if from.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
                return Err("unexpected EOF from the solution".to_string());
            }
            println!("{}", line.trim_end());
            let t: Vec<&str> = line.split_whitespace().collect();
            match (t.first().copied(), t.get(1).and_then(|v| v.parse::<i64>().ok())) {
                (Some("?"), Some(i)) if i >= 0 && (i as usize) < a.len() => {
                    queries += 1;
                    if queries > a.len() {
                        return Err("too many queries".to_string());
                    }
                    writeln!(to, "{}", a[i as usize]).map_err(|e| e.to_string())?;
                    to.flush().map_err(|e| e.to_string())?;
                }
                (Some("!"), Some(x)) => return Ok(crate::common::score_of(&a, x)),
                _ => return Err(format!("invalid line: {}", line.trim_end())),
            }
        }
    })();
    drop(to);
    let _ = child.wait();
    match result {
        Ok(score) => eprintln!("Score = {}", score),
        Err(e) => {
            eprintln!("{}", e);
            eprintln!("Score = 0");
        }
    }
}
