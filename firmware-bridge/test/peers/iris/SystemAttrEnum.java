package us.mn.state.dot.tms;

// citybay's stand-in for IRIS's system attribute table: only the two page-time bounds that
// PageTimeHelper reads, so that MultiString compiles without IRIS's server.
public enum SystemAttrEnum {
	DMS_PAGE_ON_MIN_SECS(0.5f), DMS_PAGE_ON_MAX_SECS(60f);

	private final float value;

	SystemAttrEnum(float value) {
		this.value = value;
	}

	public float getFloat() {
		return value;
	}
}
