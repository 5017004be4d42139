package app

// withEnv swaps the browser for a fake.
func (c *Checker) withEnv(env Env) *Checker {
	c.env = env
	return c
}

// withEnv swaps the browser for a fake.
func (d *Desk) withEnv(env Env) *Desk {
	d.env = env
	return d
}
