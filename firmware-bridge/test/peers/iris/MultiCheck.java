// citybay's harness around IRIS's Java MultiString (compiled from an IRIS checkout by run.sh):
// reads MULTI strings, one per line, and prints "valid" or "invalid" for each (MultiString.isValid()).
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import us.mn.state.dot.tms.utils.MultiString;

public class MultiCheck {
	public static void main(String[] args) throws Exception {
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		for (String line = in.readLine(); line != null; line = in.readLine())
			System.out.println(new MultiString(line).isValid() ? "valid" : "invalid");
	}
}
